//! Schemas → named Rust types.
//!
//! Component schemas that are objects or string enums become named types under their component
//! name; primitive, array and map components are resolved to the type they describe (no alias).
//! Inline objects and enums get a name from where they appear (`{Parent}{Property}`,
//! `{Operation}Body`, …), made unique in one crate-wide [`NameScope`]. `allOf` members are
//! merged into one struct.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::names::{self, NameScope};
use super::polymorphism::Hierarchy;
use super::{EnumDef, EnumVariant, FieldDef, Primitive, StructDef, TypeDef, TypeKind, TypeRef, UnionDef, UnionVariant};
use crate::error::{escape_pointer_token, Diagnostic, Location};

/// What a component schema resolves to.
#[derive(Debug, Clone)]
enum ComponentShape {
    /// A named type will be emitted.
    Named(String),
    /// Resolved to another type; no item of its own.
    Resolved(TypeRef),
    /// Being resolved (cycle guard for ref chains).
    InProgress,
}

/// What [`TypeBuilder::finish`] returns.
pub(crate) struct BuiltTypes {
    pub(crate) types: Vec<TypeDef>,
    pub(crate) warnings: Vec<Diagnostic>,
    pub(crate) errors: Vec<Diagnostic>,
    pub(crate) examples: Vec<(String, Value)>,
    /// Names of the enums named by `x-ms-enum.name` (declared types, never shared away).
    pub(crate) named_enums: std::collections::BTreeSet<String>,
}

/// Builds [`TypeDef`]s from schemas, keeping names unique and stable.
pub(crate) struct TypeBuilder<'a> {
    openapi: &'a OpenAPI,
    file: std::path::PathBuf,
    scope: NameScope,
    components: BTreeMap<String, ComponentShape>,
    types: BTreeMap<String, TypeDef>,
    /// Shared enums named by `x-ms-enum.name`, keyed by that name.
    ms_enums: BTreeMap<String, String>,
    pub(crate) warnings: Vec<Diagnostic>,
    pub(crate) errors: Vec<Diagnostic>,
    pub(crate) examples: Vec<(String, Value)>,
    hierarchy: Hierarchy,
    /// Struct names of polymorphic components (whose own name goes to the union).
    concrete: BTreeMap<String, String>,
    /// How many unnamed components (arrays, maps, aliases) are being resolved inside each other
    /// right now: bounded by [`MAX_UNNAMED_DEPTH`], so a 10,000-link chain of arrays of arrays
    /// ends in an error instead of a stack overflow.
    unnamed_depth: usize,
}

/// Names of the std prelude that generated code writes unqualified (`Option`, `Some(…)`,
/// `String`, `Result`, `Vec`, `Box`): a schema with one of these names gets another
/// (`String2`), so it never shadows the prelude in the models module.
const PRELUDE_NAMES: &[&str] = &["Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box"];

/// The deepest nesting of unnamed components (`A = array of B`, `B = map of C`, …).
const MAX_UNNAMED_DEPTH: usize = 128;

impl<'a> TypeBuilder<'a> {
    /// A builder over `openapi`; `file` names the spec in diagnostics.
    pub(crate) fn new(openapi: &'a OpenAPI, file: &std::path::Path) -> Self {
        TypeBuilder {
            openapi,
            file: file.to_path_buf(),
            scope: NameScope::with_reserved(PRELUDE_NAMES.iter().copied()),
            components: BTreeMap::new(),
            types: BTreeMap::new(),
            ms_enums: BTreeMap::new(),
            warnings: Vec::new(),
            errors: Vec::new(),
            examples: Vec::new(),
            hierarchy: Hierarchy::build(openapi),
            concrete: BTreeMap::new(),
            unnamed_depth: 0,
        }
    }

    fn at(&self, pointer: &str) -> Location {
        Location::new(self.file.clone(), pointer)
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Diagnostic::new(self.at(pointer), message));
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.errors.push(Diagnostic::new(self.at(pointer), message));
    }

    /// Reserves names for every component schema that becomes a named type, then builds them.
    pub(crate) fn build_components(&mut self) {
        let Some(components) = self.openapi.components.as_ref() else { return };
        // Names first, so references between components resolve regardless of order.
        for (key, schema) in &components.schemas {
            if let ReferenceOr::Item(schema) = schema {
                if becomes_named_type(schema) {
                    let wanted = x_ms_enum_name(schema).unwrap_or_else(|| key.clone());
                    let name = self.scope.claim(&names::type_name(&wanted));
                    if let Some(enum_name) = x_ms_enum_name(schema) {
                        self.ms_enums.insert(enum_name, name.clone());
                    }
                    self.components.insert(key.clone(), ComponentShape::Named(name.clone()));
                    if self.hierarchy.is_polymorphic(key) {
                        let base = self.scope.claim(&format!("{name}Base"));
                        self.concrete.insert(key.clone(), base);
                    }
                }
            }
        }
        for (key, schema) in &components.schemas {
            let pointer = format!("/components/schemas/{}", escape_pointer_token(key));
            match self.components.get(key).cloned() {
                Some(ComponentShape::Named(name)) => {
                    if let ReferenceOr::Item(schema) = schema {
                        self.define_component(key, &name, schema, &pointer);
                    }
                }
                _ => {
                    self.resolve_component(key, &pointer);
                }
            }
        }
    }

    /// Defines a named component: a union plus its `…Base` struct when it is polymorphic, a
    /// struct carrying its discriminator value when it belongs to a family, else as usual.
    fn define_component(&mut self, key: &str, name: &str, schema: &Schema, pointer: &str) {
        let family = self
            .hierarchy
            .discriminator(key)
            .map(str::to_owned)
            .zip(self.hierarchy.tag(key).map(str::to_owned));
        let is_union = match &schema.schema_kind {
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
            SchemaKind::Any(a) => a.properties.is_empty() && (!a.one_of.is_empty() || !a.any_of.is_empty()),
            _ => false,
        };
        if !is_union && !matches!(schema.schema_kind, SchemaKind::Type(Type::String(_) | Type::Integer(_))) {
            if let Some((property, tag)) = family {
                let struct_name = self.concrete.get(key).cloned().unwrap_or_else(|| name.to_owned());
                let polymorphic = self.concrete.contains_key(key);
                self.define_struct(&struct_name, schema, pointer, Some((property.clone(), tag)), !polymorphic);
                if polymorphic {
                    // Examples of a polymorphic schema go through the union.
                    if let Some(example) = &schema.schema_data.example {
                        self.examples.push((name.to_owned(), example.clone()));
                    }
                    self.define_family_union(key, name, &property, schema, pointer);
                }
                return;
            }
        }
        self.define_named(name, schema, pointer);
    }

    /// The union of a polymorphic component and its descendants.
    fn define_family_union(&mut self, key: &str, name: &str, property: &str, schema: &Schema, pointer: &str) {
        let mut scope = NameScope::with_reserved(["UnknownValue"]);
        let mut variants = Vec::new();
        for member in std::iter::once(key.to_owned()).chain(self.hierarchy.descendants(key)) {
            let struct_name = match (self.concrete.get(&member), self.components.get(&member)) {
                (Some(concrete), _) => concrete.clone(),
                (None, Some(ComponentShape::Named(n))) => n.clone(),
                _ => continue,
            };
            variants.push(UnionVariant {
                rust_name: scope.claim(&names::type_name(&member)),
                tag: self.hierarchy.tag(&member).map(str::to_owned),
                ty: TypeRef::Named(struct_name),
                boxed: false,
            });
        }
        let def = UnionDef { discriminator: Some(property.to_owned()), variants, keeps_unknown: true };
        self.types.insert(
            name.to_owned(),
            TypeDef { name: name.to_owned(), doc: doc_of(schema), kind: TypeKind::Union(def), origin: pointer.to_owned() },
        );
    }

    /// A union for `oneOf`/`anyOf` members.
    fn union_def(&mut self, name: &str, schema: &Schema, members: &[ReferenceOr<Schema>], pointer: &str, keyword: &str) -> UnionDef {
        let discriminator = schema.schema_data.discriminator.as_ref();
        let mut scope = NameScope::with_reserved(["UnknownValue"]);
        let mut variants = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let member_pointer = format!("{pointer}/{keyword}/{i}");
            let ty = self.type_of(member, &format!("{name}Variant{}", i + 1), &member_pointer);
            let tag = match (discriminator, member) {
                (Some(d), ReferenceOr::Reference { reference }) => d
                    .mapping
                    .iter()
                    .find(|(_, target)| *target == reference)
                    .map(|(value, _)| value.clone())
                    .or_else(|| reference.rsplit('/').next().map(crate::error::unescape_pointer_token)),
                _ => None,
            };
            let wanted = match &ty {
                TypeRef::Named(n) => n.clone(),
                TypeRef::Prim(p) => format!("{p:?}"),
                TypeRef::List(_) => "List".to_owned(),
                TypeRef::Map(_) => "Map".to_owned(),
                TypeRef::Any => "Value".to_owned(),
            };
            variants.push(UnionVariant { rust_name: scope.claim(&names::type_name(&wanted)), tag, ty, boxed: false });
        }
        let has_any = variants.iter().any(|v| v.ty == TypeRef::Any);
        UnionDef { discriminator: discriminator.map(|d| d.property_name.clone()), variants, keeps_unknown: discriminator.is_some() || !has_any }
    }

    /// The finished types (sorted by name), warnings, errors and examples.
    pub(crate) fn finish(self) -> BuiltTypes {
        BuiltTypes {
            types: self.types.into_values().collect(),
            warnings: self.warnings,
            errors: self.errors,
            examples: self.examples,
            named_enums: self.ms_enums.into_values().collect(),
        }
    }

    /// Resolves a component that does not become a named type (primitive, array, map, ref chain).
    fn resolve_component(&mut self, key: &str, pointer: &str) -> TypeRef {
        match self.components.get(key) {
            Some(ComponentShape::Named(name)) => return TypeRef::Named(name.clone()),
            Some(ComponentShape::Resolved(t)) => return t.clone(),
            Some(ComponentShape::InProgress) => {
                self.error(pointer, format!("`$ref` cycle through `{key}` that never reaches a type"));
                return TypeRef::Any;
            }
            None => {}
        }
        let Some(schema) = self.openapi.components.as_ref().and_then(|c| c.schemas.get(key)) else {
            self.error(pointer, format!("`$ref` to `#/components/schemas/{key}`, which does not exist"));
            return TypeRef::Any;
        };
        if self.unnamed_depth >= MAX_UNNAMED_DEPTH {
            self.error(pointer, format!("`$ref` to `{key}`: unnamed types (arrays, maps) nested more than {MAX_UNNAMED_DEPTH} deep"));
            return TypeRef::Any;
        }
        self.components.insert(key.to_owned(), ComponentShape::InProgress);
        let context = names::type_name(key);
        self.unnamed_depth += 1;
        let resolved = self.type_of(schema, &context, pointer);
        self.unnamed_depth -= 1;
        self.components.insert(key.to_owned(), ComponentShape::Resolved(resolved.clone()));
        resolved
    }

    /// The type of a schema met at `pointer`; inline objects/enums are named after `context`.
    pub(crate) fn type_of(&mut self, schema: &ReferenceOr<Schema>, context: &str, pointer: &str) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.type_of_ref(reference, pointer),
            ReferenceOr::Item(schema) => self.type_of_schema(schema, context, pointer),
        }
    }

    fn type_of_ref(&mut self, reference: &str, pointer: &str) -> TypeRef {
        match reference.strip_prefix("#/components/schemas/") {
            Some(key) if !key.contains('/') => {
                let key = crate::error::unescape_pointer_token(key);
                self.resolve_component(&key, &format!("{pointer}/$ref"))
            }
            _ => {
                self.error(
                    &format!("{pointer}/$ref"),
                    format!("unsupported `$ref` target `{reference}` (expected `#/components/schemas/<name>`)"),
                );
                TypeRef::Any
            }
        }
    }

    /// The named type of a `#/components/schemas/<key>` reference, if it has one.
    pub(crate) fn named_component(&self, reference: &str) -> Option<TypeRef> {
        let key = crate::error::unescape_pointer_token(reference.strip_prefix("#/components/schemas/")?);
        match self.components.get(&key)? {
            ComponentShape::Named(name) => Some(TypeRef::Named(name.clone())),
            _ => None,
        }
    }

    /// The struct named `name`, if built so far.
    pub(crate) fn struct_def_of(&self, name: &str) -> Option<&StructDef> {
        match &self.types.get(name)?.kind {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// Whether `name` is a struct built so far.
    pub(crate) fn is_struct(&self, name: &str) -> bool {
        self.types.get(name).is_some_and(|t| matches!(t.kind, TypeKind::Struct(_)))
    }

    /// Looks through a `$ref` to the schema it names (one level of components). The schema is
    /// borrowed from `schema` or the spec, not from the builder, so it can be read while the
    /// builder defines types (no copies of schema trees).
    pub(crate) fn deref<'s>(&self, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema>
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { reference } => self.deref_reference(reference),
        }
    }

    /// [`Self::deref`] for a property or item schema (boxed by openapiv3).
    pub(crate) fn deref_boxed<'s>(&self, schema: &'s ReferenceOr<Box<Schema>>) -> Option<&'s Schema>
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { reference } => self.deref_reference(reference),
        }
    }

    /// The schema a `#/components/schemas/<name>` reference leads to, through chains of
    /// references (bounded, so a cycle ends in `None`).
    fn deref_reference(&self, reference: &str) -> Option<&'a Schema> {
        let schemas = &self.openapi.components.as_ref()?.schemas;
        let mut reference = reference;
        for _ in 0..64 {
            let key = crate::error::unescape_pointer_token(reference.strip_prefix("#/components/schemas/")?);
            match schemas.get(&key)? {
                ReferenceOr::Item(s) => return Some(s),
                ReferenceOr::Reference { reference: next } => reference = next,
            }
        }
        None
    }

    /// [`Self::type_of`] for a property or item schema (boxed by openapiv3).
    pub(crate) fn type_of_boxed(&mut self, schema: &ReferenceOr<Box<Schema>>, context: &str, pointer: &str) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.type_of_ref(reference, pointer),
            ReferenceOr::Item(schema) => self.type_of_schema(schema, context, pointer),
        }
    }

    fn type_of_schema(&mut self, schema: &Schema, context: &str, pointer: &str) -> TypeRef {
        // `allOf: [$ref]` with only flags beside it (nullable, readOnly, description) is the
        // referenced type itself, not a copy.
        if let SchemaKind::AllOf { all_of } = &schema.schema_kind {
            if let [single @ ReferenceOr::Reference { .. }] = all_of.as_slice() {
                return self.type_of(single, context, &format!("{pointer}/allOf/0"));
            }
        }
        if let Some(n) = oversized_enum(schema) {
            self.warn(&format!("{pointer}/enum"), format!("{n} enum values (more than {MAX_ENUM_VALUES}): kept as a plain value, not an enum type"));
        }
        if becomes_named_type(schema) {
            let name = match x_ms_enum_name(schema) {
                Some(enum_name) => match self.ms_enums.get(&enum_name) {
                    Some(existing) => return TypeRef::Named(existing.clone()),
                    None => {
                        let name = self.scope.claim(&names::type_name(&enum_name));
                        self.ms_enums.insert(enum_name, name.clone());
                        name
                    }
                },
                None => self.scope.claim(&names::type_name(context)),
            };
            self.define_named(&name, schema, pointer);
            return TypeRef::Named(name);
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => TypeRef::Prim(string_primitive(&s.format)),
            SchemaKind::Type(Type::Integer(i)) => TypeRef::Prim(integer_primitive(&i.format)),
            SchemaKind::Type(Type::Number(n)) => TypeRef::Prim(number_primitive(&n.format)),
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Prim(Primitive::Bool),
            SchemaKind::Type(Type::Array(a)) => match &a.items {
                Some(items) => {
                    let item = self.type_of_boxed(items, &format!("{context}Item"), &format!("{pointer}/items"));
                    TypeRef::List(Box::new(self.containable(item, pointer)))
                }
                None => TypeRef::List(Box::new(TypeRef::Any)),
            },
            SchemaKind::Type(Type::Object(o)) => self.map_type(o.additional_properties.as_ref(), context, pointer),
            SchemaKind::Any(any) if any.properties.is_empty() && any.all_of.is_empty() => {
                if any.additional_properties.is_some() {
                    self.map_type(any.additional_properties.as_ref(), context, pointer)
                } else {
                    TypeRef::Any
                }
            }
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } if members.len() == 1 => {
                let keyword = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) { "oneOf" } else { "anyOf" };
                self.type_of(&members[0], context, &format!("{pointer}/{keyword}/0"))
            }
            SchemaKind::Not { .. } => {
                self.warn(pointer, "`not` cannot be represented; the value is kept as serde_json::Value");
                TypeRef::Any
            }
            _ => TypeRef::Any,
        }
    }

    fn map_type(&mut self, additional: Option<&AdditionalProperties>, context: &str, pointer: &str) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(value_schema)) => {
                let value = self.type_of(value_schema, &format!("{context}Value"), &format!("{pointer}/additionalProperties"));
                TypeRef::Map(Box::new(self.containable(value, pointer)))
            }
            Some(AdditionalProperties::Any(true)) => TypeRef::Map(Box::new(TypeRef::Any)),
            _ => TypeRef::Any,
        }
    }

    /// Types inside `Vec`/maps cannot use serde helper modules: formats that need one fall back
    /// to their wire representation.
    fn containable(&mut self, t: TypeRef, pointer: &str) -> TypeRef {
        match t {
            TypeRef::Prim(p @ (Primitive::DateTimeRfc1123 | Primitive::Bytes)) => {
                self.warn(pointer, format!("{p:?} values inside arrays or maps are kept as strings"));
                TypeRef::Prim(Primitive::String)
            }
            TypeRef::Prim(Primitive::UnixTime) => TypeRef::Prim(Primitive::I64),
            other => other,
        }
    }

    fn define_named(&mut self, name: &str, schema: &Schema, pointer: &str) {
        let doc = doc_of(schema);
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => TypeKind::Enum(self.enum_def(schema, &s.enumeration, pointer)),
            SchemaKind::Type(Type::Integer(i)) => {
                let values: Vec<Option<String>> = i.enumeration.iter().map(|v| v.map(|v| v.to_string())).collect();
                let mut def = self.enum_def(schema, &values, pointer);
                def.integer = true;
                TypeKind::Enum(def)
            }
            SchemaKind::OneOf { one_of } => TypeKind::Union(self.union_def(name, schema, one_of, pointer, "oneOf")),
            SchemaKind::AnyOf { any_of } => TypeKind::Union(self.union_def(name, schema, any_of, pointer, "anyOf")),
            SchemaKind::Any(a) if a.properties.is_empty() && !a.one_of.is_empty() => {
                TypeKind::Union(self.union_def(name, schema, &a.one_of, pointer, "oneOf"))
            }
            SchemaKind::Any(a) if a.properties.is_empty() && !a.any_of.is_empty() => {
                TypeKind::Union(self.union_def(name, schema, &a.any_of, pointer, "anyOf"))
            }
            _ => {
                self.define_struct(name, schema, pointer, None, true);
                return;
            }
        };
        if let Some(example) = &schema.schema_data.example {
            self.examples.push((name.to_owned(), example.clone()));
        }
        self.types.insert(name.to_owned(), TypeDef { name: name.to_owned(), doc, kind, origin: pointer.to_owned() });
    }

    /// Defines struct `name`; in a polymorphic family the discriminator field carries `family.1`.
    fn define_struct(&mut self, name: &str, schema: &Schema, pointer: &str, family: Option<(String, String)>, with_example: bool) {
        let mut def = self.struct_def(name, schema, pointer);
        if let (Some(example), true) = (&schema.schema_data.example, with_example) {
            match example_mismatch(&def, example) {
                None => self.examples.push((name.to_owned(), example.clone())),
                Some(reason) => self.warn(&format!("{pointer}/example"), format!("the example does not match its schema ({reason}); no round-trip test for it")),
            }
        }
        if let Some((property, value)) = family {
            match def.fields.iter_mut().find(|f| f.wire_name == property) {
                Some(field) => {
                    field.discriminator_value = Some(value);
                    field.required = true;
                    field.nullable = false;
                    field.read_only = false;
                }
                None => self.warn(pointer, format!("discriminator property `{property}` is not a property of the schema")),
            }
        }
        let kind = TypeKind::Struct(def);
        self.types.insert(name.to_owned(), TypeDef { name: name.to_owned(), doc: doc_of(schema), kind, origin: pointer.to_owned() });
    }

    fn enum_def(&mut self, schema: &Schema, values: &[Option<String>], pointer: &str) -> EnumDef {
        let ms_enum = schema.schema_data.extensions.get("x-ms-enum");
        let extensible = ms_enum.and_then(|e| e.get("modelAsString")).and_then(Value::as_bool).unwrap_or(true);
        let described: BTreeMap<String, (Option<String>, Option<String>)> = ms_enum
            .and_then(|e| e.get("values"))
            .and_then(Value::as_array)
            .map(|values| {
                values
                    .iter()
                    .filter_map(|v| {
                        let value = v.get("value").map(|x| x.as_str().map(str::to_owned).unwrap_or_else(|| x.to_string()))?;
                        let desc = v.get("description").and_then(Value::as_str).map(str::to_owned);
                        let name = v.get("name").and_then(Value::as_str).map(str::to_owned);
                        Some((value, (name, desc)))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut scope = NameScope::with_reserved(["UnknownValue"]);
        let mut seen = BTreeSet::new();
        let mut variants = Vec::new();
        for value in values.iter().flatten() {
            if !seen.insert(value.clone()) {
                self.warn(pointer, format!("duplicate enum value `{value}` ignored"));
                continue;
            }
            let (given_name, doc) = described.get(value).cloned().unwrap_or((None, None));
            let rust_name = scope.claim(&names::variant_name(given_name.as_deref().unwrap_or(value)));
            variants.push(EnumVariant { rust_name, wire_value: value.clone(), doc });
        }
        if values.iter().any(Option::is_none) {
            self.warn(pointer, "`null` in a string enum is expressed through `nullable`; ignored as a value");
        }
        EnumDef { variants, extensible, integer: false }
    }

    fn struct_def(&mut self, name: &str, schema: &Schema, pointer: &str) -> StructDef {
        let mut def = StructDef::default();
        // `additional_properties` is the flattened map of extra properties.
        let mut field_scope = NameScope::with_reserved(["additional_properties"]);
        let mut seen_wire = BTreeSet::new();
        self.collect_fields(name, schema, pointer, &mut def, &mut field_scope, &mut seen_wire, 0);
        if let Some(config) = schema.schema_data.extensions.get("x-restsmith-batch-result") {
            def.batch_result = self.batch_result(config, &def, &format!("{pointer}/x-restsmith-batch-result"));
        }
        def
    }

    fn batch_result(&mut self, config: &Value, def: &StructDef, pointer: &str) -> Option<super::BatchResultIr> {
        let text = |key: &str| config.get(key).and_then(Value::as_str).map(str::to_owned);
        let (Some(items), Some(id), Some(error), Some(error_code)) = (text("items"), text("id"), text("error"), text("error-code")) else {
            self.error(pointer, "x-restsmith-batch-result needs string members `items`, `id`, `error` and `error-code`");
            return None;
        };
        let is_list = def.fields.iter().any(|f| f.wire_name == items && matches!(f.ty, TypeRef::List(_)));
        if !is_list {
            self.error(pointer, format!("x-restsmith-batch-result: `{items}` is not an array property of this schema"));
            return None;
        }
        Some(super::BatchResultIr { items, id, error, error_code, error_message: text("error-message") })
    }

    /// Adds the properties of `schema` (and, for `allOf`, of every member) to `def`.
    #[allow(clippy::too_many_arguments)]
    fn collect_fields(
        &mut self,
        owner: &str,
        schema: &Schema,
        pointer: &str,
        def: &mut StructDef,
        field_scope: &mut NameScope,
        seen_wire: &mut BTreeSet<String>,
        depth: usize,
    ) {
        if depth > 32 {
            self.error(pointer, "allOf nesting deeper than 32 levels (a cycle?)");
            return;
        }
        let (properties, required, additional, all_of) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required, o.additional_properties.as_ref(), &[][..]),
            SchemaKind::Any(a) => (&a.properties, &a.required, a.additional_properties.as_ref(), &a.all_of[..]),
            SchemaKind::AllOf { all_of } => {
                for (i, member) in all_of.iter().enumerate() {
                    self.collect_member(owner, member, &format!("{pointer}/allOf/{i}"), def, field_scope, seen_wire, depth);
                }
                return;
            }
            _ => return,
        };
        for (i, member) in all_of.iter().enumerate() {
            self.collect_member(owner, member, &format!("{pointer}/allOf/{i}"), def, field_scope, seen_wire, depth);
        }
        for (wire, property) in properties {
            if !seen_wire.insert(wire.clone()) {
                continue; // a later allOf member repeating a base property: the first wins
            }
            let prop_pointer = format!("{pointer}/properties/{}", escape_pointer_token(wire));
            let target = self.deref_boxed(property);
            let given = target.and_then(|s| s.schema_data.extensions.get("x-ms-client-name")).and_then(Value::as_str);
            let rust_name = field_scope.claim(&names::field_name(given.unwrap_or(wire)));
            let context = format!("{owner}{}", names::type_name(wire));
            let ty = self.type_of_boxed(property, &context, &prop_pointer);
            let (nullable, read_only, secret, doc) = match (property, target) {
                (ReferenceOr::Item(s), _) => field_flags(s),
                (ReferenceOr::Reference { .. }, Some(s)) => {
                    let (nullable, read_only, secret, _) = field_flags(s);
                    (nullable, read_only, secret, None)
                }
                _ => (false, false, false, None),
            };
            // A write-only property is not expected back: an `Option` even when required.
            let write_only = target.is_some_and(|t| t.schema_data.write_only);
            def.fields.push(FieldDef {
                rust_name,
                wire_name: wire.clone(),
                doc,
                ty,
                required: required.contains(wire) && !write_only,
                nullable,
                read_only,
                secret,
                boxed: false,
                discriminator_value: None,
                default: target.and_then(|t| t.schema_data.default.clone()),
            });
        }
        if def.additional_properties.is_none() {
            match additional {
                Some(AdditionalProperties::Schema(s)) => {
                    let t = self.type_of(s, &format!("{owner}Value"), &format!("{pointer}/additionalProperties"));
                    def.additional_properties = Some(self.containable(t, pointer));
                }
                Some(AdditionalProperties::Any(true)) => def.additional_properties = Some(TypeRef::Any),
                _ => {}
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn collect_member(
        &mut self,
        owner: &str,
        member: &ReferenceOr<Schema>,
        pointer: &str,
        def: &mut StructDef,
        field_scope: &mut NameScope,
        seen_wire: &mut BTreeSet<String>,
        depth: usize,
    ) {
        match self.deref(member) {
            Some(schema) => {
                let member_pointer = match member {
                    ReferenceOr::Reference { reference } => reference.trim_start_matches('#').to_owned(),
                    ReferenceOr::Item(_) => pointer.to_owned(),
                };
                self.collect_fields(owner, schema, &member_pointer, def, field_scope, seen_wire, depth + 1)
            }
            None => {
                if let ReferenceOr::Reference { reference } = member {
                    self.error(&format!("{pointer}/$ref"), format!("`$ref` to `{reference}`, which does not exist"));
                }
            }
        }
    }
}

/// The most values an enum type gets; a longer list is kept as its plain string or integer
/// (with a warning): no API names a million values, and no compiler wants that enum.
pub(crate) const MAX_ENUM_VALUES: usize = 10_000;

/// The number of enum values of a string or integer schema above [`MAX_ENUM_VALUES`].
fn oversized_enum(schema: &Schema) -> Option<usize> {
    let n = match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => s.enumeration.len(),
        SchemaKind::Type(Type::Integer(i)) => i.enumeration.len(),
        _ => 0,
    };
    (n > MAX_ENUM_VALUES).then_some(n)
}

/// Objects with properties (or allOf), and string enums, become named types.
fn becomes_named_type(schema: &Schema) -> bool {
    if oversized_enum(schema).is_some() {
        return false;
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::Type(Type::String(s)) => !s.enumeration.is_empty(),
        SchemaKind::Type(Type::Integer(i)) => i.enumeration.len() > 1,
        SchemaKind::AllOf { .. } => true,
        SchemaKind::OneOf { one_of: m } | SchemaKind::AnyOf { any_of: m } => m.len() > 1,
        SchemaKind::Any(a) => !a.properties.is_empty() || !a.all_of.is_empty() || a.one_of.len() > 1 || a.any_of.len() > 1,
        _ => false,
    }
}

fn x_ms_enum_name(schema: &Schema) -> Option<String> {
    if !matches!(&schema.schema_kind, SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty()) {
        return None;
    }
    schema.schema_data.extensions.get("x-ms-enum")?.get("name")?.as_str().map(str::to_owned)
}

/// Documentation of a schema: its title and description.
pub(crate) fn doc_of(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    match (&data.title, &data.description) {
        (Some(t), Some(d)) if !d.trim().is_empty() && t.trim() != d.trim() => Some(format!("{}\n\n{}", t.trim(), d.trim())),
        (_, Some(d)) if !d.trim().is_empty() => Some(d.trim().to_owned()),
        (Some(t), _) if !t.trim().is_empty() => Some(t.trim().to_owned()),
        _ => None,
    }
}

fn field_flags(schema: &Schema) -> (bool, bool, bool, Option<String>) {
    let data = &schema.schema_data;
    let ext = &data.extensions;
    let nullable = data.nullable || ext.get("x-nullable").and_then(Value::as_bool).unwrap_or(false);
    let read_only = data.read_only
        || ext
            .get("x-ms-mutability")
            .and_then(Value::as_array)
            .is_some_and(|m| m.len() == 1 && m[0].as_str() == Some("read"));
    let password = matches!(&schema.schema_kind, SchemaKind::Type(Type::String(s)) if matches!(s.format, VariantOrUnknownOrEmpty::Item(StringFormat::Password)));
    let secret = password || ext.get("x-ms-secret").and_then(Value::as_bool).unwrap_or(false);
    (nullable, read_only, secret, doc_of(schema))
}

/// The primitive for a `type: string` schema's format.
pub(crate) fn string_primitive(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Primitive {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Primitive::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Primitive::Date,
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Primitive::Bytes,
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Primitive::Bytes,
        VariantOrUnknownOrEmpty::Unknown(f) => match f.as_str() {
            "uuid" => Primitive::Uuid,
            "date-time-rfc1123" | "date-time-rfc7231" => Primitive::DateTimeRfc1123,
            "base64url" => Primitive::String,
            _ => Primitive::String,
        },
        _ => Primitive::String,
    }
}

/// The primitive for a `type: integer` schema's format.
pub(crate) fn integer_primitive(format: &VariantOrUnknownOrEmpty<IntegerFormat>) -> Primitive {
    match format {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Primitive::I32,
        VariantOrUnknownOrEmpty::Unknown(f) if f == "unixtime" => Primitive::UnixTime,
        _ => Primitive::I64,
    }
}

/// The primitive for a `type: number` schema's format.
pub(crate) fn number_primitive(format: &VariantOrUnknownOrEmpty<NumberFormat>) -> Primitive {
    match format {
        VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => Primitive::F32,
        _ => Primitive::F64,
    }
}

/// Why an object example cannot round-trip through its struct: a required property missing, a
/// scalar of the wrong JSON kind, or a property the struct does not have (and no additional
/// properties to keep it).
fn example_mismatch(def: &StructDef, example: &Value) -> Option<String> {
    let Value::Object(members) = example else { return Some("not an object".into()) };
    if let Some(missing) = def.fields.iter().find(|f| f.required && !f.nullable && !members.contains_key(&f.wire_name)) {
        return Some(format!("required `{}` is missing", missing.wire_name));
    }
    for field in &def.fields {
        if let Some(value) = members.get(&field.wire_name) {
            if !(value.is_null() || json_kind_fits(&field.ty, value)) {
                return Some(format!("`{}` is {value}, not of the declared type", field.wire_name));
            }
        }
    }
    if def.additional_properties.is_none() {
        if let Some(unknown) = members.keys().find(|k| !def.fields.iter().any(|f| &f.wire_name == *k)) {
            return Some(format!("`{unknown}` is not a property"));
        }
    }
    None
}

/// Whether a JSON value has the kind a field of type `ty` accepts (scalars and lists checked,
/// named types and maps taken on trust).
fn json_kind_fits(ty: &TypeRef, value: &Value) -> bool {
    match ty {
        TypeRef::Prim(p) => match p {
            Primitive::Bool => value.is_boolean(),
            Primitive::I32 | Primitive::I64 | Primitive::UnixTime => value.is_i64() || value.is_u64(),
            Primitive::F32 | Primitive::F64 => value.is_number(),
            _ => value.is_string(),
        },
        TypeRef::List(item) => value.as_array().is_some_and(|items| items.iter().all(|v| v.is_null() || json_kind_fits(item, v))),
        TypeRef::Map(_) => value.is_object(),
        TypeRef::Named(_) | TypeRef::Any => true,
    }
}
