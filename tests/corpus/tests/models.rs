//! Schema constructs of the corpus specs over real HTTP: each model is sent to an echo server
//! through the spec's `echo` operation (or its own operation), the exact JSON on the wire is
//! checked, and the server's answer decodes back into the same value. Also the warnings for
//! constructs restsmith skips.

use restsmith_corpus as corpus;
use restsmith_runtime::{ClientOptions, RetryOptions};
use serde_json::json;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Answers every request with its own body, as JSON.
struct Echo;

impl wiremock::Respond for Echo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_raw(request.body.clone(), "application/json")
    }
}

async fn echo_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(Echo).mount(&server).await;
    server
}

fn options() -> ClientOptions {
    ClientOptions::default().retry(RetryOptions::none())
}

/// Sends `$value` through module `$module`'s `echo` operation: `(JSON text on the wire, the
/// decoded answer)`.
macro_rules! echo {
    ($module:ident, $value:expr) => {{
        let server = echo_server().await;
        let c = corpus::$module::Client::with_options(&server.uri(), None, options()).expect("client");
        let back = c.echo($value).await.expect("echo").body;
        let request = server.received_requests().await.expect("recording is on").pop().expect("a request");
        assert_eq!(request.headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/json"));
        (String::from_utf8(request.body).expect("UTF-8 JSON"), back)
    }};
}

/// Decodes `value` into `T`.
fn decode<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("decodes")
}

/// Asserts that a module has a warning at `pointer` (`#/…`).
fn warned(module: &str, pointer: &str) {
    let warnings = corpus::warnings(module);
    assert!(warnings.iter().any(|w| w.starts_with(&format!("{pointer}: "))), "no warning at {pointer} for {module}: {warnings:?}");
}

mod objects {
    use super::*;

    #[tokio::test]
    async fn object_required_optional() {
        use corpus::object_required_optional::models::Pet;
        let mut pet = Pet::new(1, "Fido".into());
        pet.weight = Some(7.5);
        let (wire, back) = echo!(object_required_optional, pet.clone());
        assert_eq!(wire, r#"{"id":1,"name":"Fido","weight":7.5}"#, "unset optional fields are left out");
        assert_eq!(back, pet);
        assert!(serde_json::from_value::<Pet>(json!({"id": 1})).is_err(), "a required field is missing");
    }

    #[tokio::test]
    async fn allof_merge() {
        use corpus::allof_merge::models::{Animal, Dog};
        let mut dog = Dog::new("Rex".into(), "collie".into());
        dog.good_boy = Some(true);
        dog.legs = Some(4);
        let (wire, back) = echo!(allof_merge, dog.clone());
        assert_eq!(wire, r#"{"name":"Rex","legs":4,"breed":"collie","goodBoy":true}"#);
        assert_eq!(back, dog);
        assert!(serde_json::from_value::<Dog>(json!({"name": "Rex"})).is_err(), "`breed` (from the inline part) is required");
        assert_eq!(Animal::new("Rex".into()).legs, None);
    }

    #[tokio::test]
    async fn additional_properties_typed_map() {
        use corpus::additional_properties_typed_map::models::{Bin, Inventory};
        let mut bin = Bin::new();
        bin.size = Some(2);
        let mut inventory = Inventory::new();
        inventory.labels = Some([("env".to_owned(), "prod".to_owned())].into());
        inventory.counts = Some([("apples".to_owned(), 3)].into());
        inventory.bins = Some([("a1".to_owned(), bin)].into());
        let (wire, back) = echo!(additional_properties_typed_map, inventory.clone());
        assert_eq!(wire, r#"{"labels":{"env":"prod"},"counts":{"apples":3},"bins":{"a1":{"size":2}}}"#);
        assert_eq!(back, inventory);
    }

    #[tokio::test]
    async fn additional_properties_beside_fields() {
        use corpus::additional_properties_beside_fields::models::Metrics;
        let mut metrics = Metrics::new("web-1".into());
        metrics.additional_properties.insert("cpu".into(), 0.5);
        metrics.additional_properties.insert("mem".into(), 0.75);
        let (wire, back) = echo!(additional_properties_beside_fields, metrics.clone());
        assert_eq!(wire, r#"{"host":"web-1","cpu":0.5,"mem":0.75}"#);
        assert_eq!(back, metrics);
        let decoded: Metrics = decode(json!({"host": "h", "disk": 1}));
        assert_eq!(decoded.host, "h");
        assert_eq!(decoded.additional_properties, [("disk".to_owned(), 1.0)].into(), "declared keys stay in their fields");
    }

    #[tokio::test]
    async fn nullable_field() {
        use corpus::nullable_field::models::Profile;
        let profile = Profile::new("Ada".into());
        let (wire, back) = echo!(nullable_field, profile.clone());
        assert_eq!(wire, r#"{"name":"Ada","nickname":null}"#, "a required nullable field is sent as null");
        assert_eq!(back, profile);
        let mut full = Profile::new("Ada".into());
        full.nickname = Some("A".into());
        full.age = Some(36);
        assert_eq!(echo!(nullable_field, full.clone()), (r#"{"name":"Ada","nickname":"A","age":36}"#.to_owned(), full));
        let decoded: Profile = decode(json!({"name": "Ada", "nickname": null, "age": null}));
        assert_eq!((decoded.nickname, decoded.age), (None, None));
    }

    #[tokio::test]
    async fn read_only_write_only() {
        use corpus::read_only_write_only::models::Account;
        let mut account = Account::new("ada".into());
        account.password = Some("pw".into());
        let (wire, _) = echo!(read_only_write_only, account);
        assert_eq!(wire, r#"{"login":"ada","password":"pw"}"#, "required readOnly fields are not needed in requests");
        let response: Account = decode(json!({"id": "a-1", "login": "ada", "created": "2024-01-02T03:04:05Z"}));
        assert_eq!((response.id.as_deref(), response.password.as_deref()), (Some("a-1"), None), "responses carry no writeOnly password");
        assert_eq!(response.created.map(|t| t.timestamp()), Some(1_704_164_645));
        // Read-modify-write: the server-owned fields stay out of the request body, but
        // serializing the model yourself keeps them.
        let mut changed = response.clone();
        changed.login = "ada2".into();
        assert_eq!(serde_json::to_string(&changed).expect("json"), r#"{"id":"a-1","login":"ada2","created":"2024-01-02T03:04:05Z"}"#);
        let (wire, _) = echo!(read_only_write_only, changed);
        assert_eq!(wire, r#"{"login":"ada2"}"#, "readOnly fields are not sent");
        // `Debug` and `==` see every field, read-only ones included.
        assert_eq!(
            format!("{response:?}"),
            r#"Account { id: Some("a-1"), login: "ada", password: None, created: Some(2024-01-02T03:04:05Z) }"#
        );
        let mut other = response.clone();
        assert_eq!(other, response);
        other.created = None;
        assert_ne!(other, response, "a read-only field counts for equality");
    }

    #[tokio::test]
    async fn defaults_in_constructors() {
        use corpus::defaults_in_constructors::models::{Options, OptionsMode};
        let options = Options::new("job".into());
        assert_eq!(options.region.as_deref(), Some("eu-west"));
        assert_eq!((options.retries, options.ratio, options.verbose), (Some(3), Some(0.5), Some(false)));
        assert_eq!(options.mode, Some(OptionsMode::Safe));
        assert_eq!(options.tags, Some(vec!["a".to_owned(), "b".to_owned()]));
        let (wire, back) = echo!(defaults_in_constructors, options.clone());
        assert_eq!(wire, r#"{"name":"job","region":"eu-west","retries":3,"ratio":0.5,"verbose":false,"mode":"safe","tags":["a","b"]}"#);
        assert_eq!(back, options);
    }

    #[tokio::test]
    async fn free_form_object() {
        use corpus::free_form_object::models::Event;
        let mut event = Event::new("click".into());
        event.payload = Some(json!({"x": 1, "nested": [true, null]}));
        event.context = Some([("page".to_owned(), json!("home"))].into());
        let (wire, back) = echo!(free_form_object, event.clone());
        assert_eq!(wire, r#"{"kind":"click","payload":{"x":1,"nested":[true,null]},"context":{"page":"home"}}"#);
        assert_eq!(back, event);
    }

    #[tokio::test]
    async fn schema_without_type() {
        use corpus::schema_without_type::models::Cell;
        let mut cell = Cell::new();
        cell.value = Some(json!([1, "two", {"three": 3}]));
        cell.note = Some(json!(3));
        let (wire, back) = echo!(schema_without_type, cell.clone());
        assert_eq!(wire, r#"{"value":[1,"two",{"three":3}],"note":3}"#);
        assert_eq!(back, cell);
        let text: Cell = decode(json!({"value": "text"}));
        assert_eq!(text.value, Some(json!("text")));
    }

    #[tokio::test]
    async fn array_of_arrays() {
        use corpus::array_of_arrays::models::{Grid, Point};
        let mut point = Point::new();
        point.x = Some(1);
        let mut grid = Grid::new();
        grid.cells = Some(vec![vec![1, 2], vec![3], vec![]]);
        grid.points = Some(vec![vec![point], vec![]]);
        let (wire, back) = echo!(array_of_arrays, grid.clone());
        assert_eq!(wire, r#"{"cells":[[1,2],[3],[]],"points":[[{"x":1}],[]]}"#);
        assert_eq!(back, grid);
    }

    #[tokio::test]
    async fn recursive_tree() {
        use corpus::recursive_tree::models::{Edge, Node};
        let mut leaf = Node::new("leaf".into());
        leaf.children = Some(vec![]);
        let mut root = Node::new("root".into());
        root.children = Some(vec![leaf]);
        root.parent = Some(Box::new(Node::new("up".into())));
        root.link = Some(Box::new(Edge::new(Node::new("other".into()))));
        let (wire, back) = echo!(recursive_tree, root.clone());
        assert_eq!(wire, r#"{"name":"root","children":[{"name":"leaf","children":[]}],"parent":{"name":"up"},"link":{"to":{"name":"other"}}}"#);
        assert_eq!(back, root);
    }

    #[tokio::test]
    async fn title_does_not_duplicate() {
        use corpus::title_does_not_duplicate::models::{Address, Order};
        let city = |name: &str| {
            let mut address = Address::new();
            address.city = Some(name.into());
            address
        };
        let mut order = Order::new();
        order.ship_to = Some(city("Paris"));
        order.bill_to = Some(city("Lyon")); // the titled allOf property is the same type
        order.count = Some(2); // a titled integer stays an integer
        let (wire, back) = echo!(title_does_not_duplicate, order.clone());
        assert_eq!(wire, r#"{"shipTo":{"city":"Paris"},"billTo":{"city":"Lyon"},"count":2}"#);
        assert_eq!(back, order);
    }

    #[tokio::test]
    async fn nullable_object_via_allof() {
        use corpus::nullable_object_via_allof::models::{Owner, Task};
        let task = Task::new("write".into());
        let (wire, back) = echo!(nullable_object_via_allof, task.clone());
        assert_eq!(wire, r#"{"title":"write","owner":null}"#, "the required nullable owner is sent as null");
        assert_eq!(back, task);
        let mut task = Task::new("write".into());
        task.owner = Some(Owner::new("ada".into()));
        task.reviewer = Some(Owner::new("bob".into()));
        let (wire, back) = echo!(nullable_object_via_allof, task.clone());
        assert_eq!(wire, r#"{"title":"write","owner":{"name":"ada"},"reviewer":{"name":"bob"}}"#);
        assert_eq!(back, task);
    }

    #[tokio::test]
    async fn inline_nested_object() {
        use corpus::inline_nested_object::models::{Server, ServerDisksItem, ServerLocation, ServerState};
        let mut location = ServerLocation::new();
        location.region = Some("eu".into());
        location.zone = Some(2);
        let mut server = Server::new();
        server.name = Some("s1".into());
        server.location = Some(location);
        server.state = Some(ServerState::Running);
        server.disks = Some(vec![ServerDisksItem::new(10)]);
        let (wire, back) = echo!(inline_nested_object, server.clone());
        assert_eq!(wire, r#"{"name":"s1","location":{"region":"eu","zone":2},"state":"running","disks":[{"size":10}]}"#);
        assert_eq!(back, server);
    }

    #[tokio::test]
    async fn string_formats() {
        use corpus::string_formats::models::Record;
        use restsmith_runtime::{chrono, uuid::Uuid};
        let at = chrono::DateTime::parse_from_rfc3339("2024-01-02T03:04:05Z").expect("date-time").to_utc();
        let mut record = Record::new();
        record.at = Some(at);
        record.day = chrono::NaiveDate::from_ymd_opt(2024, 1, 2);
        record.id = Some(Uuid::parse_str("6f1c9a53-3b7e-4c1e-9a3c-2d7b8e0f1a2b").expect("uuid"));
        record.data = Some(b"hello".to_vec());
        record.small = Some(-5);
        record.big = Some(9_007_199_254_740_993);
        record.ratio = Some(0.5);
        record.precise = Some(0.1);
        record.modified = Some(at);
        record.password = Some("hunter2".into());
        let (wire, back) = echo!(string_formats, record.clone());
        assert_eq!(
            wire,
            r#"{"at":"2024-01-02T03:04:05Z","day":"2024-01-02","id":"6f1c9a53-3b7e-4c1e-9a3c-2d7b8e0f1a2b","data":"aGVsbG8=","small":-5,"big":9007199254740993,"ratio":0.5,"precise":0.1,"modified":"Tue, 02 Jan 2024 03:04:05 GMT","password":"hunter2"}"#
        );
        assert_eq!(back, record);
        let offset: Record = decode(json!({"at": "2024-01-02T04:04:05+01:00"}));
        assert_eq!(offset.at, Some(at), "an offset date-time is read as the same instant");
    }

    #[tokio::test]
    async fn byte_in_arrays_as_strings() {
        use corpus::byte_in_arrays_as_strings::models::Blobs;
        warned("byte_in_arrays_as_strings", "#/components/schemas/Blobs/properties/list");
        warned("byte_in_arrays_as_strings", "#/components/schemas/Blobs/properties/named");
        let mut blobs = Blobs::new();
        blobs.single = Some(b"hi".to_vec());
        blobs.list = Some(vec!["aGk=".into(), "eW8=".into()]);
        blobs.named = Some([("a".to_owned(), "aGk=".to_owned())].into());
        let (wire, back) = echo!(byte_in_arrays_as_strings, blobs.clone());
        assert_eq!(wire, r#"{"single":"aGk=","list":["aGk=","eW8="],"named":{"a":"aGk="}}"#);
        assert_eq!(back, blobs);
    }
}

mod names {
    use super::*;

    #[tokio::test]
    async fn keyword_property_names() {
        use corpus::keyword_property_names::models::Item;
        let server = echo_server().await;
        let c = corpus::keyword_property_names::Client::with_options(&server.uri(), None, options()).expect("client");
        let wire = json!({"type": "box", "ref": "r1", "match": true, "async": 1, "self": "s", "Self": "S", "crate": "c", "super": "u"});
        let item: Item = decode(wire.clone());
        assert_eq!((item.type_.as_str(), item.ref_.as_deref(), item.match_, item.async_), ("box", Some("r1"), Some(true), Some(1)));
        assert_eq!((item.self_.as_deref(), item.crate_.as_deref(), item.super_.as_deref()), (Some("s"), Some("c"), Some("u")));
        // `Debug` names the Rust fields, not the wire properties.
        let printed = format!("{item:?}");
        assert!(printed.starts_with(r#"Item { type_: "box", ref_: Some("r1"), match_: Some(true), async_: Some(1), "#), "{printed}");
        let back = c.put_item("box", "exact", item.clone()).self_("me").await.expect("send").body;
        assert_eq!(back, item);
        let request = server.received_requests().await.expect("recording").pop().expect("a request");
        assert_eq!((request.url.path(), request.url.query()), ("/items/box", Some("match=exact&self=me")));
        assert_eq!(String::from_utf8(request.body).expect("UTF-8"), wire.to_string());
    }

    #[tokio::test]
    async fn odd_property_names() {
        use corpus::odd_property_names::models::Doc;
        let mut doc = Doc::new();
        doc.odata_type = Some("#T".into());
        doc.x_ms_meta = Some("m".into());
        doc.n1st = Some(1);
        doc.a_b = Some("ab".into());
        doc.schema = Some("s".into());
        doc.with_space = Some("w".into());
        doc.allcaps = Some("C".into());
        let (wire, back) = echo!(odd_property_names, doc.clone());
        assert_eq!(wire, r##"{"@odata.type":"#T","x-ms-meta":"m","1st":1,"a.b":"ab","$schema":"s","with space":"w","ALLCAPS":"C"}"##);
        assert_eq!(back, doc);
    }

    #[tokio::test]
    async fn property_names_colliding() {
        use corpus::property_names_colliding::models::Pair;
        let mut pair = Pair::new();
        pair.foo_bar = Some("a".into());
        pair.foo_bar_2 = Some("b".into());
        pair.foo_bar_3 = Some(3);
        let (wire, back) = echo!(property_names_colliding, pair.clone());
        assert_eq!(wire, r#"{"fooBar":"a","foo_bar":"b","FooBar":3}"#);
        assert_eq!(back, pair);
    }

    #[tokio::test]
    async fn schema_names_colliding() {
        use corpus::schema_names_colliding::models::{Household, PetOwner, PetOwner2, PetOwner3};
        let (mut first, mut second, mut third) = (PetOwner::new(), PetOwner2::new(), PetOwner3::new());
        first.a = Some("x".into());
        second.b = Some(1);
        third.c = Some(true);
        let mut household = Household::new();
        household.first = Some(first);
        household.second = Some(second);
        household.third = Some(third);
        let (wire, back) = echo!(schema_names_colliding, household.clone());
        assert_eq!(wire, r#"{"first":{"a":"x"},"second":{"b":1},"third":{"c":true}}"#);
        assert_eq!(back, household);
    }

    #[tokio::test]
    async fn x_ms_client_name() {
        use corpus::x_ms_client_name::models::Record;
        let mut record = Record::new("W/1".into());
        record.label = Some("first".into());
        assert_eq!(serde_json::to_string(&record).expect("serializes"), r#"{"_etag":"W/1","displayName":"first"}"#);
        assert_eq!(decode::<Record>(json!({"_etag": "W/1", "displayName": "first"})), record);
    }
}

mod enums {
    use super::*;

    #[tokio::test]
    async fn string_enum_unknown_values() {
        use corpus::string_enum_unknown_values::models::Status;
        assert_eq!(echo!(string_enum_unknown_values, Status::Suspended), (r#""suspended""#.to_owned(), Status::Suspended));
        let unknown = Status::from("archived");
        assert_eq!(unknown, Status::UnknownValue("archived".into()));
        assert_eq!(echo!(string_enum_unknown_values, unknown.clone()), (r#""archived""#.to_owned(), unknown), "kept and sent back unchanged");
        assert_eq!(Status::KNOWN, [Status::Active, Status::Suspended, Status::Deleted]);
        assert_eq!(Status::Deleted.to_string(), "deleted");
    }

    #[test]
    fn string_enums_compare_hash_and_order_by_wire_value() {
        use corpus::string_enum_unknown_values::models::Status;
        use std::collections::{BTreeSet, HashSet};
        assert_eq!(Status::UnknownValue("active".into()), Status::Active, "an unknown value spelled like a known one is that value");
        assert_ne!(Status::UnknownValue("archived".into()), Status::Active);
        let hashed: HashSet<Status> = [Status::Active, Status::UnknownValue("active".into()), Status::Deleted].into_iter().collect();
        assert_eq!(hashed.len(), 2, "equal values hash alike: {hashed:?}");
        let ordered: Vec<Status> = [Status::Suspended, Status::UnknownValue("archived".into()), Status::Active, Status::Deleted]
            .into_iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let wire: Vec<&str> = ordered.iter().map(Status::as_str).collect();
        assert_eq!(wire, ["active", "archived", "deleted", "suspended"]);
        assert!(Status::Active < Status::Deleted);
    }

    #[tokio::test]
    async fn enum_plus_minus_values() {
        use corpus::enum_plus_minus_values::models::Vote;
        let cases = [(Vote::Plus1, "+1"), (Vote::Minus1, "-1"), (Vote::Empty, ""), (Vote::AB, "a b"), (Vote::AB2, "A B"), (Vote::V15, "1.5")];
        for (vote, value) in cases {
            assert_eq!(Vote::from(value), vote);
            assert_eq!(vote.as_str(), value);
            let (wire, back) = echo!(enum_plus_minus_values, vote.clone());
            assert_eq!((wire, back), (json!(value).to_string(), vote));
        }
        assert_ne!(Vote::from("a b"), Vote::from("A B"), "values colliding after case conversion stay distinct");
    }

    #[tokio::test]
    async fn integer_enum() {
        use corpus::integer_enum::models::Priority;
        assert_eq!(echo!(integer_enum, Priority::V2), ("2".to_owned(), Priority::V2));
        assert_eq!(echo!(integer_enum, Priority::Minus1), ("-1".to_owned(), Priority::Minus1));
        assert_eq!(decode::<Priority>(json!(7)), Priority::UnknownValue(7));
        assert!(serde_json::from_value::<Priority>(json!("2")).is_err(), "a string is not an integer enum value");
    }

    #[tokio::test]
    async fn x_ms_enum_names() {
        use corpus::x_ms_enum_names::models::{Disk, PowerState, StorageTier};
        let mut disk = Disk::new();
        disk.tier = Some(StorageTier::PremiumLrs);
        disk.backup_tier = Some(StorageTier::StandardLrs); // one shared enum for both properties
        disk.power = Some(PowerState::On);
        let (wire, back) = echo!(x_ms_enum_names, disk.clone());
        assert_eq!(wire, r#"{"tier":"Premium_LRS","backupTier":"Standard_LRS","power":"on"}"#);
        assert_eq!(back, disk);
        let unknown: Disk = decode(json!({"tier": "Ultra_LRS"}));
        assert_eq!(unknown.tier, Some(StorageTier::UnknownValue("Ultra_LRS".into())), "modelAsString: true keeps unknown values");
        assert!(serde_json::from_value::<Disk>(json!({"power": "standby"})).is_err(), "modelAsString: false is a closed enum");
    }
}

mod unions {
    use super::*;

    #[tokio::test]
    async fn oneof_untagged() {
        use corpus::oneof_untagged::models::{Circle, Shape, Square};
        let square = Shape::Square(Square::new(2.0));
        assert_eq!(echo!(oneof_untagged, square.clone()), (r#"{"side":2.0}"#.to_owned(), square));
        assert_eq!(decode::<Shape>(json!({"radius": 1.5})), Shape::Circle(Circle::new(1.5)));
        assert_eq!(decode::<Shape>(json!({"edges": 3})), Shape::UnknownValue(json!({"edges": 3})), "a value matching no alternative is kept");
    }

    #[tokio::test]
    async fn anyof_primitives() {
        use corpus::anyof_primitives::models::{Setting, SettingValue};
        let cases = [
            (SettingValue::I64(42), r#"{"value":42}"#),
            (SettingValue::String("on".into()), r#"{"value":"on"}"#),
            (SettingValue::List(vec!["a".into(), "b".into()]), r#"{"value":["a","b"]}"#),
        ];
        for (value, expected) in cases {
            let setting = Setting::new(value);
            assert_eq!(echo!(anyof_primitives, setting.clone()), (expected.to_owned(), setting));
        }
        assert_eq!(decode::<Setting>(json!({"value": true})).value, SettingValue::UnknownValue(json!(true)));
    }

    #[tokio::test]
    async fn oneof_with_discriminator_mapping() {
        use corpus::oneof_with_discriminator_mapping::models::{CatPet, DogPet, Pet};
        // Built from JSON: whether `new` takes the tag is up to the generator (today it does).
        let cat: CatPet = decode(json!({"petType": "cat", "name": "Tom", "indoor": true}));
        let pet = Pet::CatPet(cat);
        assert_eq!(echo!(oneof_with_discriminator_mapping, pet.clone()), (r#"{"petType":"cat","name":"Tom","indoor":true}"#.to_owned(), pet));
        let dog: DogPet = decode(json!({"petType": "dog", "name": "Rex", "breed": "collie"}));
        assert_eq!(dog.breed.as_deref(), Some("collie"));
        assert_eq!(decode::<Pet>(json!({"petType": "dog", "name": "Rex", "breed": "collie"})), Pet::DogPet(dog));
        let bird = json!({"petType": "bird", "name": "Tweety"});
        assert_eq!(decode::<Pet>(bird.clone()), Pet::UnknownValue(bird), "an unknown tag is kept");
        assert!(serde_json::from_value::<Pet>(json!({"petType": "cat"})).is_err(), "a known tag with a bad body is an error");
    }

    #[tokio::test]
    async fn discriminator_allof_family() {
        use corpus::discriminator_allof_family::models::{Car, Truck, Vehicle, VehicleBase};
        let mut car = Car::new();
        car.seats = Some(5);
        let vehicle = Vehicle::Car(car);
        assert_eq!(echo!(discriminator_allof_family, vehicle.clone()), (r#"{"kind":"Car","seats":5}"#.to_owned(), vehicle), "the tag is filled in");
        let mut truck = Truck::new();
        truck.wheels = Some(6);
        truck.payload = Some(3.5);
        assert_eq!(decode::<Vehicle>(json!({"kind": "Truck", "wheels": 6, "payload": 3.5})), Vehicle::Truck(truck));
        let mut base = VehicleBase::new();
        base.wheels = Some(2);
        assert_eq!(decode::<Vehicle>(json!({"kind": "Vehicle", "wheels": 2})), Vehicle::Vehicle(base));
        assert_eq!(decode::<Vehicle>(json!({"kind": "Boat"})), Vehicle::UnknownValue(json!({"kind": "Boat"})));
    }

    #[tokio::test]
    async fn x_ms_discriminator_value() {
        use corpus::x_ms_discriminator_value::models::{Fish, Salmon, Shark};
        let mut salmon = Salmon::new();
        salmon.location = Some("alaska".into());
        let fish = Fish::Salmon(salmon);
        assert_eq!(echo!(x_ms_discriminator_value, fish.clone()), (r##"{"@odata.type":"#Microsoft.Salmon","location":"alaska"}"##.to_owned(), fish));
        let mut shark = Shark::new();
        shark.length = Some(3.0);
        shark.age = Some(40);
        assert_eq!(decode::<Fish>(json!({"@odata.type": "#Microsoft.Shark", "length": 3, "age": 40})), Fish::Shark(shark));
    }
}

mod input_dialects {
    use super::*;

    #[tokio::test]
    async fn openapi31_type_null() {
        use corpus::openapi31_type_null::models::{Address, Person};
        let server = echo_server().await;
        let c = corpus::openapi31_type_null::Client::with_options(&server.uri(), None, options()).expect("client");
        let mut person = Person::new("Ada".into());
        let mut address = Address::new();
        address.city = Some("Oslo".into());
        person.address = Some(address);
        assert_eq!(c.add_person(person.clone()).await.expect("send").body, person);
        let request = server.received_requests().await.expect("recording").pop().expect("a request");
        assert_eq!(String::from_utf8(request.body).expect("UTF-8"), r#"{"name":"Ada","nickname":null,"address":{"city":"Oslo"}}"#);
        let decoded: Person = decode(json!({"name": "Bob", "nickname": "bobby", "age": null}));
        assert_eq!((decoded.nickname.as_deref(), decoded.age), (Some("bobby"), None));
    }

    #[tokio::test]
    async fn openapi31_const() {
        use corpus::openapi31_const::models::Event;
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
        let c = corpus::openapi31_const::Client::with_options(&server.uri(), None, options()).expect("client");
        // Built from JSON: the Rust types of the const properties are up to the generator.
        let event: Event = decode(json!({"kind": "click", "source": "web", "id": "e1"}));
        c.post_event(event).await.expect("send");
        let request = server.received_requests().await.expect("recording").pop().expect("a request");
        assert_eq!(request.url.query(), Some("api-version=2024-05-01"), "the const parameter is sent by the client");
        assert_eq!(String::from_utf8(request.body).expect("UTF-8"), r#"{"kind":"click","source":"web","id":"e1"}"#);
    }

    #[tokio::test]
    async fn swagger2_body_and_definitions() {
        use corpus::swagger2_body_and_definitions::models::{Animal, Cat};
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(
                ResponseTemplate::new(201)
                    .set_body_json(json!({"kind": "Cat", "id": "a1", "nickname": null, "lives": 9}))
                    .insert_header("X-Id", "1"),
            )
            .mount(&server)
            .await;
        let c = corpus::swagger2_body_and_definitions::Client::with_options(&server.uri(), None, options()).expect("client");
        let mut cat = Cat::new();
        cat.lives = Some(9);
        let response = c.add_animal(Animal::Cat(cat)).await.expect("send");
        let request = server.received_requests().await.expect("recording").pop().expect("a request");
        assert_eq!(request.headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/json"));
        assert_eq!(String::from_utf8(request.body).expect("UTF-8"), r#"{"kind":"Cat","lives":9}"#);
        assert_eq!(response.headers.x_id, Some(1));
        match response.body {
            Animal::Cat(cat) => assert_eq!((cat.id.as_deref(), cat.nickname, cat.lives), (Some("a1"), None, Some(9))),
            other => panic!("expected a cat, got {other:?}"),
        }
    }
}

mod skipped {
    use super::*;

    #[tokio::test]
    async fn mismatched_example_skipped() {
        use corpus::mismatched_example_skipped::models::Label;
        warned("mismatched_example_skipped", "#/components/schemas/Gauge/example");
        warned("mismatched_example_skipped", "#/components/schemas/Counter/example");
        let mut label = Label::new();
        label.text = Some("fine".into());
        let server = echo_server().await;
        let c = corpus::mismatched_example_skipped::Client::with_options(&server.uri(), None, options()).expect("client");
        let counter = corpus::mismatched_example_skipped::models::Counter::new(3);
        assert_eq!(c.echo(counter.clone()).await.expect("echo").body, counter);
        assert_eq!(serde_json::to_string(&label).expect("serializes"), r#"{"text":"fine"}"#);
    }

    #[tokio::test]
    async fn field_validation_skipped() {
        use corpus::field_validation_skipped::models::User;
        let mut user = User::new("A".into());
        user.age = Some(200);
        user.emails = Some(vec!["a@x".into(), "b@x".into(), "c@x".into()]);
        let (wire, back) = echo!(field_validation_skipped, user.clone());
        assert_eq!(wire, r#"{"login":"A","age":200,"emails":["a@x","b@x","c@x"]}"#, "sent as it is: the server checks");
        assert_eq!(back, user);
        assert!(corpus::warnings("field_validation_skipped").is_empty(), "common keywords, not worth a warning each");
    }
}
