"""deploy/k8s/: the Kubernetes manifests, checked without a cluster.

Every core document is validated against the Kubernetes OpenAPI schema bundled with
kubernetes-validate (strict: unknown fields fail). The operators' resources (Strimzi, CloudNativePG)
have no bundled schema, so the fields huhang relies on are checked here against the code they
must agree with: topic names from `KafkaSettings`, database names from `SERVICES`, commands from
`services.cli.main`, ports from `SERVICE_PORTS`, the Ingress's paths from the route table
(`shared.registry.route_table()`) and its headers from `deploy/door.py`.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
import kubernetes_validate
import pytest
import yaml
from sqlalchemy.engine import make_url

from deploy.door import HSTS_HEADER, SECURITY_HEADERS
from deploy.local.nginx_conf import nginx_size
from services.cli import main
from shared.auth.config import AuthSettings, InsecureConfiguration
from shared import registry
from shared.config import REPO_ROOT, KafkaSettings, trusted_proxies
from shared.web.proxy import parse_networks
from shared.keyring import KeyringError, _decode

SERVICES, SERVICE_PORTS = registry.names(), registry.ports()

K8S = REPO_ROOT / "deploy" / "k8s"
OPERATOR_GROUPS = {"kafka.strimzi.io", "postgresql.cnpg.io"}
# The oldest Kubernetes release supported here, and the newest kubernetes-validate knows.
K8S_VERSIONS = ("1.30.0", kubernetes_validate.latest_version())
WORKER_COMMANDS = {"workers", "relay", "consume", "scheduler"}
SECRET_TEMPLATE = "secrets.example.yaml"

Doc = dict[str, Any]


def _load(path: Path) -> list[Doc]:
    with path.open(encoding="utf-8") as fh:
        return [doc for doc in yaml.safe_load_all(fh) if doc is not None]


KUSTOMIZATION: Doc = _load(K8S / "kustomization.yaml")[0]
RESOURCE_FILES: list[str] = KUSTOMIZATION["resources"]
DOCS: list[Doc] = [doc for name in RESOURCE_FILES for doc in _load(K8S / name)]


def _group(doc: Doc) -> str:
    api_version: str = doc["apiVersion"]
    return api_version.split("/")[0] if "/" in api_version else ""


def _of_kind(kind: str) -> list[Doc]:
    return [doc for doc in DOCS if doc["kind"] == kind]


def _one(kind: str) -> Doc:
    found = _of_kind(kind)
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return found[0]


def _named(kind: str, name: str) -> Doc:
    found = [doc for doc in _of_kind(kind) if doc["metadata"]["name"] == name]
    assert found, f"no {kind} {name}"
    return found[0]


def _config() -> dict[str, str]:
    data: dict[str, str] = _named("ConfigMap", "huhang-config")["data"]
    return data


def _pod_specs() -> list[tuple[str, Doc]]:
    """(workload name, pod spec) of every Deployment and Job."""
    return [
        (doc["metadata"]["name"], doc["spec"]["template"]["spec"])
        for doc in DOCS
        if doc["kind"] in ("Deployment", "Job")
    ]


def _pod_labels() -> dict[str, dict[str, str]]:
    return {doc["metadata"]["name"]: doc["spec"]["template"]["metadata"]["labels"]
            for doc in DOCS if doc["kind"] in ("Deployment", "Job")}


def _selects(selector: Doc, labels: dict[str, str]) -> bool:
    """Kubernetes label-selector semantics (matchLabels and the In / NotIn / Exists operators)."""
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], expr.get("values", [])
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and labels.get(key) in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def _env(container: Doc) -> dict[str, Doc]:
    return {item["name"]: item for item in container.get("env", [])}


def _resolve(args: list[str]) -> tuple[click.Command, list[str], str]:
    """The click command that `huhang ARGS` runs, the arguments left for it, and its path."""
    command: click.Command = main
    path = "huhang"
    rest = list(args)
    while isinstance(command, click.Group):
        assert rest, f"`{path}` needs a subcommand"
        name = rest.pop(0)
        assert name in command.commands, f"`{path} {name}`: no such command in services/cli.py"
        command = command.commands[name]
        path = f"{path} {name}"
    return command, rest, path


# --- the set of files ----------------------------------------------------------------------------


def test_every_manifest_is_in_the_kustomization_and_the_secret_template_is_not() -> None:
    on_disk = {p.name for p in K8S.glob("*.yaml")} | {p.name for p in K8S.glob("*.yml")}
    assert set(RESOURCE_FILES) == on_disk - {"kustomization.yaml", SECRET_TEMPLATE}
    assert (K8S / SECRET_TEMPLATE).is_file()
    assert SECRET_TEMPLATE not in RESOURCE_FILES


def test_kustomization_sets_namespace_and_the_image_placeholder() -> None:
    assert KUSTOMIZATION["namespace"] == _one("Namespace")["metadata"]["name"] == "huhang"
    images = {item["name"]: item for item in KUSTOMIZATION["images"]}
    assert "huhang" in images
    for _name, spec in _pod_specs():
        for container in spec["containers"]:
            assert container["image"] == "huhang", "workloads name the bare image; kustomize sets tag/registry"


# --- schema validation of the core kinds ---------------------------------------------------------


CORE_DOCS = [doc for doc in DOCS if _group(doc) not in OPERATOR_GROUPS]


@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize(
    "doc", CORE_DOCS, ids=[f"{d['kind']}/{d['metadata']['name']}" for d in CORE_DOCS]
)
def test_core_documents_match_the_kubernetes_schema(doc: Doc, version: str) -> None:
    try:
        kubernetes_validate.validate(doc, version, strict=True)
    except kubernetes_validate.ValidationError as exc:
        where = ".".join(str(p) for p in exc.path)
        pytest.fail(f"{doc['kind']}/{doc['metadata']['name']} at {where}: {exc.message}")


def test_the_secret_template_matches_the_schema_too() -> None:
    for doc in _load(K8S / SECRET_TEMPLATE):
        kubernetes_validate.validate(doc, K8S_VERSIONS[-1], strict=True)


def test_only_the_operators_resources_lack_a_bundled_schema() -> None:
    for doc in DOCS:
        try:
            kubernetes_validate.validate(doc, K8S_VERSIONS[-1], strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            assert _group(doc) in OPERATOR_GROUPS, f"{doc['apiVersion']} {doc['kind']}: unknown kind"
        except kubernetes_validate.ValidationError:
            pass  # reported by test_core_documents_match_the_kubernetes_schema
    assert {_group(d) for d in DOCS} >= OPERATOR_GROUPS


def test_strict_validation_rejects_an_unknown_field() -> None:
    """The guard above can fail: a misspelt field is an error, not silently dropped."""
    doc = yaml.safe_load(yaml.safe_dump(_named("Deployment", "intake-api")))
    doc["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {"httpGet": {"path": "/readyz"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(doc, K8S_VERSIONS[-1], strict=True)


# --- Strimzi: Kafka in KRaft mode, replication, topics -------------------------------------------


def test_kafka_runs_in_kraft_mode_on_three_controller_broker_nodes() -> None:
    kafka = _one("Kafka")
    assert kafka["apiVersion"] == "kafka.strimzi.io/v1"
    assert "zookeeper" not in kafka["spec"]
    pools = [p for p in _of_kind("KafkaNodePool")
             if p["metadata"]["labels"]["strimzi.io/cluster"] == kafka["metadata"]["name"]]
    assert pools, "KRaft needs node pools labelled with the Kafka cluster's name"
    controllers = sum(p["spec"]["replicas"] for p in pools if "controller" in p["spec"]["roles"])
    brokers = sum(p["spec"]["replicas"] for p in pools if "broker" in p["spec"]["roles"])
    assert controllers >= 3 and controllers % 2 == 1, "a quorum of 3 (or 5) controllers"
    assert brokers >= 3
    for pool in pools:
        for volume in pool["spec"]["storage"]["volumes"]:
            assert volume["type"] == "persistent-claim" and volume.get("deleteClaim") is False


def test_kafka_replication_settings_keep_acknowledged_events() -> None:
    config = _one("Kafka")["spec"]["kafka"]["config"]
    assert config["default.replication.factor"] == 3
    assert config["min.insync.replicas"] == 2
    assert config["unclean.leader.election.enable"] is False
    assert config["offsets.topic.replication.factor"] == 3
    assert config["transaction.state.log.replication.factor"] == 3
    assert config["transaction.state.log.min.isr"] == 2
    assert config["auto.create.topics.enable"] is False
    assert "topicOperator" in _one("Kafka")["spec"]["entityOperator"]


def _consumer_groups() -> dict[str, list[str]]:
    """Consumer group name -> the services whose events it reads (services/<s>/domains.py)."""
    groups = {}
    for manifest in registry.manifests():
        if manifest.handlers():
            groups[manifest.service] = list(manifest.consumes)
    return groups


def _topics() -> dict[str, Doc]:
    return {t["spec"].get("topicName", t["metadata"]["name"]): t for t in _of_kind("KafkaTopic")}


def test_topics_are_the_ones_huhang_produces_and_dead_letters_to() -> None:
    prefix = _config()["HUHANG_TOPIC_PREFIX"]
    kafka = KafkaSettings(topic_prefix=prefix)
    expected = {kafka.events_topic(s) for s in SERVICES} | {kafka.dead_letter_topic(g) for g in _consumer_groups()}
    assert set(_topics()) == expected
    assert {"huhang.intake.events", "huhang.review.events", "huhang.notify.events",
            "huhang.dlq.review", "huhang.dlq.notify"} <= expected
    cluster = _one("Kafka")["metadata"]["name"]
    for name, topic in _topics().items():
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] == cluster, name
        assert topic["spec"]["partitions"] == 3, name
        assert topic["spec"]["replicas"] == 3, name
        assert topic["spec"].get("config", {}).get("min.insync.replicas", 2) >= 2, name


def test_bootstrap_servers_point_at_the_strimzi_plain_listener() -> None:
    kafka = _one("Kafka")
    plain = [li for li in kafka["spec"]["kafka"]["listeners"] if not li["tls"] and li["type"] == "internal"]
    assert plain, "huhang's KafkaSettings speaks PLAINTEXT only"
    assert _config()["KAFKA_BOOTSTRAP_SERVERS"] == f"{kafka['metadata']['name']}-kafka-bootstrap:{plain[0]['port']}"


def test_worker_replicas_do_not_exceed_the_partitions_they_share() -> None:
    """One consumer per partition per group: replicas beyond the partition count sit idle."""
    prefix = _config()["HUHANG_TOPIC_PREFIX"]
    kafka = KafkaSettings(topic_prefix=prefix)
    for group, sources in _consumer_groups().items():
        partitions = min(_topics()[kafka.events_topic(s)]["spec"]["partitions"] for s in sources)
        workers = _named("Deployment", f"{group}-workers")
        assert workers["spec"]["replicas"] <= partitions, f"{group}-workers: more replicas than partitions"


# --- CloudNativePG: the cluster, the databases, how pods connect ---------------------------------


def test_postgres_cluster_is_replicated_synchronously() -> None:
    cluster = _one("Cluster")
    assert cluster["apiVersion"] == "postgresql.cnpg.io/v1"
    spec = cluster["spec"]
    assert spec["instances"] == 3
    sync = spec["postgresql"]["synchronous"]
    assert sync["method"] in ("any", "first") and sync["number"] >= 1
    assert sync.get("dataDurability", "required") == "required"
    assert spec["enableSuperuserAccess"] is False


def test_one_database_per_service_owned_by_the_application_role() -> None:
    cluster = _one("Cluster")
    initdb = cluster["spec"]["bootstrap"]["initdb"]
    databases = {initdb["database"]: initdb["owner"]}
    for db in _of_kind("Database"):
        assert db["spec"]["cluster"]["name"] == cluster["metadata"]["name"]
        databases[db["spec"]["name"]] = db["spec"]["owner"]
    assert set(databases) == {f"huhang_{s}" for s in SERVICES}
    assert set(databases.values()) == {initdb["owner"]}


def test_database_urls_name_each_service_database_on_the_primary(monkeypatch: pytest.MonkeyPatch) -> None:
    from shared.config import database_url

    config = _config()
    cluster = _one("Cluster")["metadata"]["name"]
    monkeypatch.delenv("DATABASE_URL", raising=False)
    for service in SERVICES:
        monkeypatch.setenv(f"{service.upper()}_DATABASE_URL", config[f"{service.upper()}_DATABASE_URL"])
        url = make_url(database_url(service))
        assert url.drivername == "postgresql+psycopg"
        assert url.host == f"{cluster}-rw"
        assert url.database == f"huhang_{service}"
        assert url.password is None, "credentials come from the operator's secret, not the ConfigMap"
    assert config["PGSSLMODE"] == "verify-full"


def test_every_pod_takes_database_credentials_and_ca_from_the_operator() -> None:
    cluster = _one("Cluster")["metadata"]["name"]
    for name, spec in _pod_specs():
        for container in spec["containers"]:
            env = _env(container)
            for var, key in (("PGUSER", "username"), ("PGPASSWORD", "password")):
                ref = env[var]["valueFrom"]["secretKeyRef"]
                assert (ref["name"], ref["key"]) == (f"{cluster}-app", key), f"{name}: {var}"
        ca = [v for v in spec["volumes"] if v.get("secret", {}).get("secretName") == f"{cluster}-ca"]
        assert ca and [i["key"] for i in ca[0]["secret"]["items"]] == ["ca.crt"], f"{name}: only ca.crt, never ca.key"


# --- workloads -----------------------------------------------------------------------------------


def test_every_workload_runs_an_existing_huhang_command() -> None:
    dockerfile = (REPO_ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert 'ENTRYPOINT ["huhang"]' in dockerfile
    for name, spec in _pod_specs():
        for container in spec["containers"] + spec.get("initContainers", []):
            assert "command" not in container, f"{name}: keep the image's `huhang` entrypoint"
            command, rest, path = _resolve(container["args"])
            # Parse the remaining arguments exactly as `huhang` would (unknown options fail).
            command.make_context(path, list(rest))


def test_every_container_has_probes_or_is_a_worker() -> None:
    for doc in _of_kind("Deployment"):
        for container in doc["spec"]["template"]["spec"]["containers"]:
            args = container["args"]
            if args[0] != "serve":
                assert args[0] in WORKER_COMMANDS, f"{doc['metadata']['name']}: neither API nor worker"
                continue
            service = args[1]
            assert [p["containerPort"] for p in container["ports"]] == [SERVICE_PORTS[service]]
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
            assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
            assert "--host" in args and args[args.index("--host") + 1] == "0.0.0.0"


def test_each_api_has_a_service_and_a_disruption_budget() -> None:
    labels = _pod_labels()
    apis = [d for d in _of_kind("Deployment") if d["spec"]["template"]["spec"]["containers"][0]["args"][0] == "serve"]
    assert {d["metadata"]["name"] for d in apis} == {f"{s}-api" for s in SERVICES}
    for api in apis:
        name = api["metadata"]["name"]
        service = name.removesuffix("-api")
        assert api["spec"]["replicas"] >= 2, f"{name}: one pod is no high availability"
        svc = _named("Service", name)
        assert _selects({"matchLabels": svc["spec"]["selector"]}, labels[name])
        assert [p["port"] for p in svc["spec"]["ports"]] == [SERVICE_PORTS[service]]
        pdbs = [p for p in _of_kind("PodDisruptionBudget") if _selects(p["spec"]["selector"], labels[name])]
        assert len(pdbs) == 1, f"{name}: one PodDisruptionBudget"
        budget = pdbs[0]["spec"]
        assert budget.get("maxUnavailable", 0) >= 1 or budget["minAvailable"] < api["spec"]["replicas"], (
            f"{name}: a budget that allows no eviction blocks node drains"
        )


def test_scheduler_runs_replicated() -> None:
    scheduler = [d for d in _of_kind("Deployment")
                 if d["spec"]["template"]["spec"]["containers"][0]["args"][0] == "scheduler"]
    assert len(scheduler) == 1 and scheduler[0]["spec"]["replicas"] >= 2


def test_pods_are_locked_down() -> None:
    var_dir = _config()["HUHANG_VAR"]
    for name, spec in _pod_specs():
        assert spec["automountServiceAccountToken"] is False, name
        pod_sc = spec["securityContext"]
        assert pod_sc["runAsNonRoot"] is True and pod_sc["runAsUser"] != 0, name
        assert pod_sc["seccompProfile"]["type"] == "RuntimeDefault", name
        empty_dirs = {v["name"] for v in spec["volumes"] if "emptyDir" in v}
        for container in spec["containers"]:
            sc = container["securityContext"]
            assert sc["readOnlyRootFilesystem"] is True, name
            assert sc["allowPrivilegeEscalation"] is False, name
            assert sc["capabilities"]["drop"] == ["ALL"], name
            limits, requests = container["resources"]["limits"], container["resources"]["requests"]
            assert {"cpu", "memory"} <= set(requests) and "memory" in limits, name
            writable = {m["mountPath"] for m in container["volumeMounts"] if m["name"] in empty_dirs}
            assert {var_dir, "/tmp"} <= writable, f"{name}: HUHANG_VAR and /tmp must be writable emptyDirs"


def test_production_mode_and_jwks_from_the_review_service() -> None:
    config = _config()
    assert config["HUHANG_ENV"] == "production"
    jwks = urlsplit(config["HUHANG_JWKS_URL"])
    review = _named("Service", "review-api")
    assert jwks.hostname == review["metadata"]["name"]
    assert jwks.port == review["spec"]["ports"][0]["port"] == SERVICE_PORTS["review"]
    assert jwks.path == "/.well-known/jwks.json"


def _key_files(spec: Doc) -> set[str]:
    keys = [v for v in spec["volumes"] if v.get("secret", {}).get("secretName") == "huhang-keys"]
    return {item["key"] for v in keys for item in v["secret"]["items"]}


def test_each_process_gets_the_keys_production_mode_demands_and_no_others() -> None:
    template = _load(K8S / SECRET_TEMPLATE)[0]
    provided = set(template["stringData"])
    expected_files = {
        "intake-api": {"audit.key", "pii.key", "pii-index.key"},
        "review-api": {"audit.key", "signing-key.pem"},
        "notify-api": {"audit.key"},
        "huhang-migrate": {"audit.key", "pii.key", "pii-index.key"},  # intake 0003 encrypts rows
    }
    for name, spec in _pod_specs():
        files = _key_files(spec)
        assert files <= provided, f"{name}: mounts keys the Secret template does not have"
        assert files == expected_files.get(name, {"audit.key"}), name
        container = spec["containers"][0]
        env = _env(container)
        mount = next(m["mountPath"] for m in container["volumeMounts"] if m["name"] == "keys")
        for var, item in env.items():
            if var.endswith("_FILE"):
                assert Path(item["value"]).parent == Path(mount) and Path(item["value"]).name in files, f"{name}: {var}"
        needs_secret = container["args"][0] == "serve" or container["args"][:2] == ["db", "seed"]
        if needs_secret:
            ref = env["HUHANG_SECRET_KEY"]["valueFrom"]["secretKeyRef"]
            assert (ref["name"], ref["key"]) == ("huhang-keys", "secret-key"), name
        else:
            assert "HUHANG_SECRET_KEY" not in env, name


# --- the front door: the Ingress -----------------------------------------------------------------

ANNOTATION = "nginx.ingress.kubernetes.io/"


def _ingress_paths() -> dict[str, tuple[str, Doc]]:
    """Ingress path -> (the Service it reaches, the Ingress that holds it); a path twice is an error."""
    found: dict[str, tuple[str, Doc]] = {}
    for ingress in _of_kind("Ingress"):
        for rule in ingress["spec"]["rules"]:
            for item in rule["http"]["paths"]:
                assert item["path"] not in found, f"{item['path']} is in two Ingress rules"
                assert item["pathType"] == "Prefix", f"{item['path']}: Prefix matches segment by segment, as shared/routing.py"
                found[item["path"]] = (item["backend"]["service"]["name"], ingress)
    return found


def test_the_ingress_paths_are_the_route_table() -> None:
    table = registry.route_table()
    paths = _ingress_paths()
    assert set(paths) == set(table.prefixes()), "deploy/k8s/ingress.yaml and the manifests' routes differ"
    for route in table:
        backend, _ = paths[route.canonical]
        assert backend == f"{route.service}-api", route.canonical


def test_every_ingress_backend_is_an_api_service_port() -> None:
    for path, (backend, ingress) in _ingress_paths().items():
        service = _named("Service", backend)
        port = next(item for rule in ingress["spec"]["rules"] for item in rule["http"]["paths"] if item["path"] == path)
        assert port["backend"]["service"]["port"]["name"] in {p["name"] for p in service["spec"]["ports"]}, path


def test_the_ingress_limits_bodies_as_the_route_table_does() -> None:
    table = registry.route_table()
    for path, (_, ingress) in _ingress_paths().items():
        assert ingress["metadata"]["annotations"][ANNOTATION + "proxy-body-size"] == nginx_size(table.body_limit(path)), path


def test_the_ingress_sets_the_doors_headers_over_tls() -> None:
    headers = _named("ConfigMap", "huhang-door-headers")
    assert headers["data"] == {**SECURITY_HEADERS, HSTS_HEADER[0]: HSTS_HEADER[1]}
    assert "Content-Security-Policy" not in headers["data"], "pages set their own CSP"
    for ingress in _of_kind("Ingress"):
        annotations = ingress["metadata"]["annotations"]
        assert annotations[ANNOTATION + "custom-headers"] == f"{KUSTOMIZATION['namespace']}/huhang-door-headers"
        assert ingress["spec"]["ingressClassName"] == "nginx"
        hosts = {rule["host"] for rule in ingress["spec"]["rules"]}
        assert hosts <= {h for tls in ingress["spec"]["tls"] for h in tls["hosts"]}, "HSTS only where TLS is"


def test_the_apis_believe_forwarded_addresses_only_from_the_pod_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUHANG_TRUSTED_PROXIES", _config()["HUHANG_TRUSTED_PROXIES"])
    networks = parse_networks(trusted_proxies())
    assert networks and all(n.is_private for n in networks)
    (policy,) = [p for p in _of_kind("NetworkPolicy") if p["metadata"]["name"] == "huhang-api-ingress"]
    peers = [peer for rule in policy["spec"]["ingress"] for peer in rule["from"]]
    assert peers, "with forwarded addresses trusted, not every pod may reach the APIs"
    controller = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}},
                  "podSelector": {"matchLabels": {"app.kubernetes.io/name": "ingress-nginx"}}}
    assert controller in peers
    assert all("ipBlock" not in peer for peer in peers)


# --- secrets ---------------------------------------------------------------------------------------


def test_no_secret_is_shipped_in_the_kustomization() -> None:
    assert not _of_kind("Secret"), "Secrets are created in the cluster (secrets.example.yaml), never committed"
    assert "secretGenerator" not in KUSTOMIZATION


def test_the_secret_template_holds_only_placeholders_that_production_refuses() -> None:
    (template,) = _load(K8S / SECRET_TEMPLATE)
    assert template["kind"] == "Secret" and "data" not in template
    values: dict[str, str] = template["stringData"]
    assert all("REPLACE-ME" in value for value in values.values())
    for name in ("pii.key", "pii-index.key", "audit.key"):
        with pytest.raises(KeyringError):
            _decode(values[name], name)
    with pytest.raises(InsecureConfiguration):
        AuthSettings(env="production", secret_key=values["secret-key"]).check_production(signs_tokens=False)
    assert "PRIVATE KEY-----" not in values["signing-key.pem"]


# --- network policy --------------------------------------------------------------------------------


def _policies_for(labels: dict[str, str], kind: str) -> list[Doc]:
    return [p for p in _of_kind("NetworkPolicy")
            if kind in p["spec"]["policyTypes"] and _selects(p["spec"]["podSelector"], labels)]


def test_only_the_apis_receive_traffic() -> None:
    for name, labels in _pod_labels().items():
        policies = _policies_for(labels, "Ingress")
        assert policies, f"{name}: not covered by a default-deny ingress policy"
        rules = [rule for p in policies for rule in p["spec"].get("ingress", [])]
        if name.endswith("-api"):
            assert [port["port"] for rule in rules for port in rule["ports"]] == ["http"], name
        else:
            assert not rules, f"{name}: workers, schedulers and jobs receive nothing"


def test_every_pod_may_reach_kafka_and_postgres_and_nothing_unlisted() -> None:
    kafka = _one("Kafka")["metadata"]["name"]
    cluster = _one("Cluster")["metadata"]["name"]
    kafka_port = int(_config()["KAFKA_BOOTSTRAP_SERVERS"].rsplit(":", 1)[1])
    broker = {"strimzi.io/cluster": kafka, "strimzi.io/kind": "Kafka", "strimzi.io/broker-role": "true"}
    postgres = {"cnpg.io/cluster": cluster, "cnpg.io/instanceRole": "primary"}
    for name, labels in _pod_labels().items():
        policies = _policies_for(labels, "Egress")
        assert policies, f"{name}: not covered by an egress policy"
        rules = [rule for p in policies for rule in p["spec"].get("egress", [])]
        assert all(rule.get("to") for rule in rules), f"{name}: an egress rule without `to` allows everything"

        def allowed(target: dict[str, str], port: int, rules: list[Doc] = rules) -> bool:
            return any(
                any("podSelector" in peer and "namespaceSelector" not in peer
                    and _selects(peer["podSelector"], target) for peer in rule["to"])
                and any(p["port"] == port for p in rule["ports"])
                for rule in rules
            )

        assert allowed(broker, kafka_port), f"{name}: cannot reach the Kafka brokers"
        assert allowed(postgres, 5432), f"{name}: cannot reach PostgreSQL"


# --- the kustomization as kubectl builds it (when kubectl is installed) ---------------------------


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl not installed")
def test_kubectl_kustomize_builds_the_base() -> None:
    out = subprocess.run(["kubectl", "kustomize", str(K8S)], capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 0, out.stderr
    built = [d for d in yaml.safe_load_all(out.stdout) if d]
    assert len(built) == len(DOCS)
    for doc in built:
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == "huhang", doc["metadata"]["name"]
        if doc["kind"] in ("Deployment", "Job"):
            images = {c["image"] for c in doc["spec"]["template"]["spec"]["containers"]}
            assert images == {"huhang:latest"}
