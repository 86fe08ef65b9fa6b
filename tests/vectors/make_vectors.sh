#!/usr/bin/env bash
# Recreate the request-signing test vectors used by runtime/src/auth/{volcengine,azure_shared_key}.rs.
#
# Every signature in these files is computed by the vendors' own SDK code, never by ours:
#   * Volcengine V4: PyPI `volcengine==1.0.229`, volcengine.auth.SignerV4.sign_only (and .sign as a
#     self-check), driven by shared/tools/volc_sign_vector.py.
#   * Azure Batch Shared Key: PyPI `azure-batch==15.1.0` (pulls azure-core; 1.41.0 when these files
#     were made), policy azure.batch._patch.BatchSharedKeyAuthPolicy, driven by
#     shared/tools/batch_sharedkey_vector.py through tests/vectors/batch_capture.py, which only adds
#     the string-to-sign the policy signed.
#
# Output: runtime/tests/data/volcengine/*.json and runtime/tests/data/batch/*.json. The Rust tests
# (`cargo test -p restsmith-runtime --lib auth::`) read every file in those folders.
# All dates and keys are fixed fake values, so a re-run gives byte-identical files.
#
# Usage:
#   tests/vectors/make_vectors.sh            # (re)write the vector files
#   tests/vectors/make_vectors.sh --check    # regenerate into a temp dir and diff with the committed files
#
# Environment:
#   SHARED_DIR  the shared/ folder with tools/ (default: ../shared beside the repository)
#   VENV        the Python venv to use/create (default: target/test-tools/vectors-venv)
#   PYTHON      interpreter used to create the venv (default: python3)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SHARED_DIR="${SHARED_DIR:-$REPO/../shared}"
VENV="${VENV:-$REPO/target/test-tools/vectors-venv}"
DATA="$REPO/runtime/tests/data"
VOLC_TOOL="$SHARED_DIR/tools/volc_sign_vector.py"
BATCH_TOOL="$SHARED_DIR/tools/batch_sharedkey_vector.py"
CAPTURE="$REPO/tests/vectors/batch_capture.py"

for f in "$VOLC_TOOL" "$BATCH_TOOL"; do
  [ -f "$f" ] || { echo "missing $f (set SHARED_DIR)" >&2; exit 2; }
done

if [ ! -x "$VENV/bin/python" ]; then
  "${PYTHON:-python3}" -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet 'volcengine==1.0.229' 'azure-batch==15.1.0'
PY="$VENV/bin/python"
"$PY" - <<'EOF' >&2
from importlib.metadata import version
print("vector tools: volcengine %s, azure-batch %s, azure-core %s"
      % (version("volcengine"), version("azure-batch"), version("azure-core")))
EOF

OUT="$DATA"
CHECK=0
if [ "${1:-}" = "--check" ]; then
  CHECK=1
  OUT="$(mktemp -d)"
  trap 'rm -rf "$OUT"' EXIT
fi
mkdir -p "$OUT/volcengine" "$OUT/batch"

# q NAME=VALUE... -> query string, RFC 3986 percent-encoded (space as %20, '+' as %2B), in the
# given order. The tools decode it again with parse_qsl, so the SDK sees exactly these values.
q() {
  "$PY" -c 'import sys, urllib.parse as u
print(u.urlencode([tuple(a.split("=", 1)) for a in sys.argv[1:]], quote_via=u.quote, safe=""))' "$@"
}

volc() { # volc NAME [volc_sign_vector.py options...]
  local name="$1"; shift
  "$PY" "$VOLC_TOOL" "$@" > "$OUT/volcengine/$name.json"
}

batch() { # batch NAME [batch_sharedkey_vector.py options...]
  local name="$1"; shift
  "$PY" "$CAPTURE" "$BATCH_TOOL" "$@" > "$OUT/batch/$name.json"
}

FORM='Content-Type: application/x-www-form-urlencoded; charset=utf-8'
D=20240105T093000Z
ECS=ecs.cn-beijing.volcengineapi.com

# ---------------------------------------------------------------- Volcengine
# The tool's defaults: identical to shared/vectors/volcengine-sign.json.
volc 00-shared-default
# PROTOCOLS.md §6.2 known-answer test (third-party vector, signature 1c625e7c...).
volc 01-protocols-6.2-describe-regions --host "$ECS" \
  --query 'Action=DescribeRegions&MaxResults=100&Version=2020-04-01' --header "$FORM" \
  --ak VOLCsigcaptureAKID --sk VOLCsigcaptureSECRET1234567890abcdefg --date 20260419T120000Z
# PROTOCOLS.md §6.3 worked example (DeleteImages, signs content-type; signature c18e794e...).
volc 02-protocols-6.3-delete-images --host "$ECS" \
  --query 'Action=DeleteImages&ImageIds.1=image-aaaa1111&ImageIds.2=image-bbbb2222&Version=2020-04-01' \
  --header "$FORM" --ak AKLTexampleEXAMPLE --sk EXAMPLEsecretEXAMPLEsecretEXAMPLE00 --date "$D"
# POST with a JSON body (body hash != empty constant).
volc 03-post-json-body --method POST --host "$ECS" \
  --query 'Action=RunInstances&Version=2020-04-01' --header 'Content-Type: application/json' \
  --body '{"ZoneId":"cn-beijing-a","ImageId":"image-aaaa1111","Description":"测试 instance"}' --date "$D"
# 12 ImageIds.N: byte-order sort puts ImageIds.10/.11/.12 before ImageIds.2.
ids=(Action=DeleteImages Version=2020-04-01)
for i in $(seq 1 12); do ids+=("ImageIds.$i=image-$(printf '%04d' "$i")"); done
ids+=(DeleteBindedSnapshots=false)
volc 04-twelve-image-ids --host "$ECS" --query "$(q "${ids[@]}")" --header "$FORM" --date "$D"
# Non-ASCII and reserved characters in values (and one in a name), an empty value.
volc 05-reserved-and-unicode --host "$ECS" --query "$(q \
  'Action=DescribeImages' 'Version=2020-04-01' \
  'ImageName=镜像 名称' \
  'Description=a b+c/d=e&f*g~h%i' \
  'Filter.1.Value=100%' \
  'Tag.Key=环境:prod;x,y' \
  'Empty=' \
  'Name~With*Odd chars=v')" --header "$FORM" --date "$D"
# STS credentials: X-Security-Token is added and signed.
volc 06-session-token --host "$ECS" \
  --query 'Action=DeleteImages&ImageIds.1=image-aaaa1111&Version=2020-04-01' --header "$FORM" \
  --session-token 'STSeyJBY2NvdW50SWQiOiIyMTAwMDAwMDAwIn0.example-session-token/+=' --date "$D"
# Host with a non-default port (kept in the signed host).
volc 07-host-port-8443 --host 'ecs.cn-beijing.example.internal:8443' \
  --query 'Action=DeleteImages&ImageIds.1=image-aaaa1111&Version=2020-04-01' --header "$FORM" --date "$D"
# Host with :443 (dropped from the signed host).
volc 08-host-port-443 --host "$ECS:443" \
  --query 'Action=DeleteImages&ImageIds.1=image-aaaa1111&Version=2020-04-01' --header "$FORM" --date "$D"
# Repeated query name (values keep their given order), extra signed X- header, unsigned headers,
# Content-Md5, a non-trivial path with characters that need encoding.
volc 09-path-repeated-and-extra-headers --method POST --host 'open.volcengineapi.com' \
  --path '/top/数据 集/a+b/v1' \
  --query "$(q 'Action=ListThings' 'Version=2022-01-01' 'Tag=zeta' 'Tag=alpha' 'Tag=mid')" \
  --header "$FORM" --header 'X-Custom-Trace: abc-123' --header 'Content-Md5: 1B2M2Y8AsgTpgAmY7PhCfg==' \
  --header 'User-Agent: restsmith/0.1' --header 'Accept: application/json' \
  --body 'Key=%E4%BD%A0%E5%A5%BD&Other=1' --service iam --region cn-shanghai --date 20241231T235959Z
# Empty query string and a region/service other than ecs/cn-beijing.
volc 10-no-query --host 'vpc.ap-southeast-1.volcengineapi.com' --query '' --header "$FORM" \
  --service vpc --region ap-southeast-1 --date 20240229T000000Z

# ---------------------------------------------------------------- Azure Batch
BATCH_URL='https://myaccount.eastus.batch.azure.com'
CERT='certificates(thumbprintAlgorithm=sha1,thumbprint=0123456789abcdef0123456789abcdef01234567)'
OCP_DATE='ocp-date:Fri, 05 Jan 2024 09:30:00 GMT'
CT='Content-Type:application/json; odata=minimalmetadata'
RID='client-request-id:9c4d50ee-2d56-4cd3-8152-34347dc9f2b0'
# The tool's defaults: identical to shared/vectors/batch-sharedkey.json (plus the string-to-sign).
batch 00-shared-default
# Same request, query written in the other order: same canonical resource.
batch 01-query-order-swapped --url "$BATCH_URL/$CERT/canceldelete?timeout=30&api-version=2020-09-01.12.0"
# Extra ocp- headers (sorted by name into CanonicalizedHeaders), If-Match in the fixed lines.
batch 02-extra-ocp-headers \
  --url "$BATCH_URL/$CERT/canceldelete?api-version=2020-09-01.12.0" \
  --header "$CT" --header "$OCP_DATE" --header 'ocp-zz-custom:last one' \
  --header 'ocp-aa-custom:first one' --header "$RID" --header 'If-Match:"0x8D9A1B2C3D4E5F6"'
# GET without Content-Type or Content-Length; encoded values in the query ($select with a comma,
# $filter with spaces and quotes) are signed decoded.
batch 03-get-no-content-type --method GET \
  --url "$BATCH_URL/$CERT?api-version=2020-09-01.12.0&%24select=thumbprint%2Cstate&%24filter=state%20eq%20%27active%27" \
  --header "$OCP_DATE" --header "$RID"
# POST with a JSON body (Content-Length from the body), encoded path segment signed as sent.
batch 04-post-json-body --url "$BATCH_URL/jobs/job%20one/tasks?api-version=2020-09-01.12.0&timeout=60" \
  --header "$CT" --header "$OCP_DATE" --header "$RID" --header 'return-client-request-id:false' \
  --body '{"id":"task-1","commandLine":"cmd /c echo héllo"}'
# Different account and key.
batch 05-other-account --account 'contosobatch' \
  --key 'c2Vjb25kLWZha2Uta2V5LWZvci10ZXN0cy1vbmx5LW5vdC1yZWFsLTAwMDAwMDAwMDAwMDAwMDA=' \
  --url "https://contosobatch.westeurope.batch.azure.com/$CERT/canceldelete?api-version=2020-09-01.12.0" \
  --header "$CT" --header 'ocp-date:Mon, 29 Feb 2044 23:59:59 GMT'

if [ "$CHECK" = 1 ]; then
  diff -ru "$DATA/volcengine" "$OUT/volcengine"
  diff -ru "$DATA/batch" "$OUT/batch"
  echo "vectors are up to date"
else
  echo "wrote $(ls "$OUT/volcengine" | wc -l) Volcengine and $(ls "$OUT/batch" | wc -l) Batch vectors under $OUT" >&2
fi
