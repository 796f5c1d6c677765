"""CRD scanning against real CRDs, manifests, Helm charts and chart archives (see data/crds/SOURCES.md),
plus hostile archives and the edge cases the real data does not hold."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
import yaml

from meshdocs.diagnostics import Report, Severity
from meshdocs.loaders.crds import CrdScan, CrdVersion, scan

from .conftest import SHARED

CRDS = SHARED / "crds"
ACK = CRDS / "ack"
CNRM = CRDS / "gcp-k8s-config-connector"
ACK_COMMON = [("FieldExport", "v1alpha1"), ("IAMRoleSelector", "v1alpha1")]


def data(rel: str) -> Path:
    path = CRDS / rel
    assert path.exists(), f"real test data missing: {path}"
    return path


def run(source: Path) -> tuple[CrdScan, Report]:
    report = Report()
    return scan(source, report), report


def kinds(result: CrdScan) -> list[tuple[str, str]]:
    return sorted((v.kind, v.version) for v in result.versions)


def gkv(result: CrdScan) -> set[tuple[str, str, str]]:
    return {(v.group, v.kind, v.version) for v in result.versions}


def errors(report: Report) -> list[str]:
    return [d.format() for d in report.items if d.severity is Severity.ERROR]


def notices(report: Report) -> list[str]:
    return [d.format() for d in report.items if d.severity is Severity.NOTICE]


def one(result: CrdScan, kind: str, version: str) -> CrdVersion:
    found = [v for v in result.versions if v.kind == kind and v.version == version]
    assert len(found) == 1, (kind, version, kinds(result))
    return found[0]


# ------------------------------------------------------------------------------------------------ ACK


def test_ack_s3_config_folder() -> None:
    result, report = run(data("ack/s3-controller/config/crd"))
    assert kinds(result) == [("Bucket", "v1alpha1"), *ACK_COMMON]
    assert gkv(result) == {
        ("s3.services.k8s.aws", "Bucket", "v1alpha1"),
        ("services.k8s.aws", "FieldExport", "v1alpha1"),
        ("services.k8s.aws", "IAMRoleSelector", "v1alpha1"),
    }
    bucket = one(result, "Bucket", "v1alpha1")
    assert (bucket.plural, bucket.scope, bucket.served, bucket.storage, bucket.deprecated) == (
        "buckets",
        "Namespaced",
        True,
        True,
        False,
    )
    assert bucket.schema is not None and "spec" in bucket.schema["properties"]
    assert bucket.description.startswith("Bucket is the Schema for the Buckets API")
    assert bucket.source.endswith("config/crd/bases/s3.services.k8s.aws_buckets.yaml#0")
    assert one(result, "IAMRoleSelector", "v1alpha1").scope == "Cluster"
    # the two kustomization.yaml files are resources with a kind, not CRDs
    assert result.ignored == {"Kustomization": 2}
    assert result.skipped == [] and result.chart is None and report.items == []


def test_ack_sqs_config_folder() -> None:
    result, report = run(data("ack/sqs-controller/config/crd"))
    assert kinds(result) == [*ACK_COMMON, ("Queue", "v1alpha1")]
    assert ("sqs.services.k8s.aws", "Queue", "v1alpha1") in gkv(result)
    assert report.items == []


def test_ack_ec2_config_folder() -> None:
    result, report = run(data("ack/ec2-controller/config/crd"))
    assert len(result.versions) == 22
    got = kinds(result)
    for kind in ("VPC", "Subnet", "SecurityGroup", "Instance", "NATGateway", "TransitGateway", "FieldExport"):
        assert (kind, "v1alpha1") in got
    assert sum(v.group == "ec2.services.k8s.aws" for v in result.versions) == 20
    assert report.items == []


@pytest.mark.parametrize("controller", ["s3", "sqs", "ec2"])
def test_ack_helm_chart_matches_config_folder(controller: str) -> None:
    config, _ = run(data(f"ack/{controller}-controller/config/crd"))
    chart, report = run(data(f"ack/{controller}-controller/helm"))
    assert gkv(chart) == gkv(config)
    assert chart.chart is not None and chart.chart["name"] == f"{controller}-chart"
    assert set(chart.chart) <= {"name", "version", "description", "home", "icon", "sources", "appVersion"}
    # crds/ holds the CRDs; templates/ holds only RBAC, a Deployment, a Service: all templated, none read
    assert chart.ignored == {}
    assert len(chart.skipped) == 15
    assert all("/templates/" in note and "template not read" in note for note in chart.skipped)
    assert errors(report) == []


def test_ack_s3_chart_archive_matches_folder() -> None:
    config, _ = run(data("ack/s3-controller/config/crd"))
    folder, _ = run(data("ack/s3-controller/helm"))
    archive, report = run(data("charts-tgz/s3-chart-1.10.0.tgz"))
    assert gkv(archive) == gkv(folder) == gkv(config)
    assert archive.chart == folder.chart
    assert archive.chart is not None and archive.chart["version"] == "1.10.0"
    bucket = one(archive, "Bucket", "v1alpha1")
    assert bucket.source.endswith("s3-chart-1.10.0.tgz!crds/s3.services.k8s.aws_buckets.yaml#0")
    assert bucket.schema == one(folder, "Bucket", "v1alpha1").schema
    assert len(archive.skipped) == len(folder.skipped) == 15
    assert errors(report) == []


def test_duplicates_across_two_folders_keep_the_first() -> None:
    # ack/s3-controller holds config/crd/ and the helm/ chart with the same three CRDs
    result, report = run(data("ack/s3-controller"))
    assert kinds(result) == [("Bucket", "v1alpha1"), *ACK_COMMON]
    assert all("/config/crd/" in v.source for v in result.versions)
    dupes = [n for n in notices(report) if "already read from" in n]
    assert len(dupes) == 3 and all("/helm/crds/" in n for n in dupes)
    assert result.chart is not None and result.chart["name"] == "s3-chart"
    # the three controllers share services.k8s.aws FieldExport and IAMRoleSelector
    every, report = run(data("ack"))
    assert len(every.versions) == 20 + 1 + 1 + 2
    assert (
        len([n for n in notices(report) if "already read from" in n]) == (22 + 3 + 3) * 2 - 24
    )  # 56 read, 24 kept


# ------------------------------------------------------------------------------------ Config Connector


def test_config_connector_crds_folder() -> None:
    result, report = run(data("gcp-k8s-config-connector/config/crds"))
    assert len({(v.group, v.kind) for v in result.versions}) == 41
    assert len(result.versions) == 47
    got = kinds(result)
    for kind in ("ComputeInstance", "ComputeNetwork", "PubSubTopic", "ContainerCluster", "StorageBucket"):
        assert (kind, "v1beta1") in got
    assert ("ComputeManagedSSLCertificate", "v1alpha1") in got
    assert all(v.scope == "Namespaced" for v in result.versions)
    assert all(v.group.endswith(".cnrm.cloud.google.com") for v in result.versions)
    assert result.ignored == {} and result.skipped == [] and report.items == []


def test_template_like_text_in_descriptions_is_kept() -> None:
    path = data(
        "gcp-k8s-config-connector/config/crds/resources/"
        "apiextensions.k8s.io_v1_customresourcedefinition_pubsubtopics.pubsub.cnrm.cloud.google.com.yaml"
    )
    assert "{{projectID}}" in path.read_text(encoding="utf-8")
    result, report = run(path)
    topic = one(result, "PubSubTopic", "v1beta1")
    assert topic.schema is not None
    schema = topic.schema["properties"]["spec"]["properties"]["schemaSettings"]["properties"]["schemaRef"]
    assert '"projects/{{projectID}}/schemas/{{schemaID}}"' in str(schema)
    assert result.skipped == [] and report.items == []


def test_config_connector_mixed_manifests() -> None:
    result, report = run(data("gcp-k8s-config-connector/operator"))
    # the golden file's CRDs have their spec replaced by '(removed)': noted, not read
    golden = [n for n in result.skipped if "_expected.yaml" in n]
    assert golden and all("spec is not a mapping" in n for n in golden)
    assert len(result.skipped) == 265
    assert result.ignored["ServiceAccount"] == 8 and result.ignored["Deployment"] == 4
    assert ("ConfigConnector", "v1beta1") in kinds(result)
    assert one(result, "ConfigConnector", "v1beta1").scope == "Cluster"
    assert errors(report) == []


# ---------------------------------------------------------------------------------------- cert-manager


def test_cert_manager_current() -> None:
    result, report = run(data("cert-manager/deploy/crds"))
    assert kinds(result) == sorted(
        (k, "v1")
        for k in ("Certificate", "CertificateRequest", "Challenge", "ClusterIssuer", "Issuer", "Order")
    )
    assert {v.group for v in result.versions} == {"cert-manager.io", "acme.cert-manager.io"}
    assert one(result, "ClusterIssuer", "v1").scope == "Cluster"
    assert all(v.storage and v.served for v in result.versions)
    assert report.items == []


def test_cert_manager_chart_templates_wrapped_in_if() -> None:
    crds, _ = run(data("cert-manager/deploy/crds"))
    chart, report = run(data("cert-manager/deploy/charts/cert-manager"))
    archive, _ = run(data("charts-tgz/cert-manager-v0.0.0.tgz"))
    assert gkv(chart) == gkv(archive) == gkv(crds)
    assert one(chart, "Issuer", "v1").schema == one(crds, "Issuer", "v1").schema
    assert chart.chart is not None and chart.chart["name"] == "cert-manager"
    assert len(chart.skipped) == len(archive.skipped) == 72
    assert not any("crd-" in note for note in chart.skipped)
    assert errors(report) == []


def test_cert_manager_v0_10_shared_validation() -> None:
    result, report = run(data("cert-manager-legacy/v0.10.0"))
    assert kinds(result) == sorted(
        (k, "v1alpha1")
        for k in ("Certificate", "CertificateRequest", "Challenge", "ClusterIssuer", "Issuer", "Order")
    )
    assert {v.group for v in result.versions} == {"certmanager.k8s.io"}
    cert = one(result, "Certificate", "v1alpha1")
    assert cert.schema is not None and "spec" in cert.schema["properties"]
    assert cert.description.startswith("Certificate is a type to represent a Certificate from ACME")
    assert [v.source.rsplit("#", 1)[1] for v in result.versions] == ["1", "0", "2", "3", "4", "5"]
    assert report.items == []


def test_cert_manager_v0_14_versions_with_served_and_storage() -> None:
    result, report = run(data("cert-manager-legacy/v0.14.0"))
    assert kinds(result) == [
        ("Certificate", "v1alpha2"),
        ("Certificate", "v1alpha3"),
        ("CertificateRequest", "v1alpha2"),
        ("CertificateRequest", "v1alpha3"),
    ]
    assert [v.storage for v in result.versions] == [True, False, True, False]
    # per-version schemas, each its own
    a2, a3 = one(result, "Certificate", "v1alpha2"), one(result, "Certificate", "v1alpha3")
    assert a2.schema is not None and a3.schema is not None and a2.schema is not a3.schema
    assert report.items == []


def test_cert_manager_v1_0_both_apiextensions_versions() -> None:
    beta = data("cert-manager-legacy/v1.0.0/deploy/crds/crd-certificaterequests.v1beta1.yaml")
    v1 = data("cert-manager-legacy/v1.0.0/deploy/crds/crd-certificaterequests.yaml")
    expected = [("CertificateRequest", v) for v in ("v1", "v1alpha2", "v1alpha3", "v1beta1")]
    from_beta, report_beta = run(beta)
    from_v1, report_v1 = run(v1)
    assert kinds(from_beta) == kinds(from_v1) == expected
    # spec.version (v1) and spec.versions are both set in the v1beta1 file: versions win, v1 stores
    assert [v.storage for v in from_beta.versions] == [v.storage for v in from_v1.versions]
    assert one(from_v1, "CertificateRequest", "v1").storage
    for a, b in zip(from_beta.versions, from_v1.versions, strict=True):
        assert a.description == b.description
    assert report_beta.items == report_v1.items == []
    both, report = run(data("cert-manager-legacy/v1.0.0"))
    assert kinds(both) == expected
    assert all(v.source.endswith("crd-certificaterequests.v1beta1.yaml#0") for v in both.versions)
    assert len([n for n in notices(report) if "already read from" in n]) == 4


# ---------------------------------------------------------------------------------------------- Argo


def test_argo_rollouts_install_mixed_with_ordinary_resources() -> None:
    result, report = run(data("argo-rollouts/manifests/install.yaml"))
    assert kinds(result) == sorted(
        (k, "v1alpha1")
        for k in ("AnalysisRun", "AnalysisTemplate", "ClusterAnalysisTemplate", "Experiment", "Rollout")
    )
    assert one(result, "ClusterAnalysisTemplate", "v1alpha1").scope == "Cluster"
    assert result.ignored == {
        "ClusterRole": 4,
        "ClusterRoleBinding": 1,
        "ConfigMap": 1,
        "Deployment": 1,
        "Secret": 1,
        "Service": 1,
        "ServiceAccount": 1,
    }
    assert report.items == []
    none, report = run(data("argo-rollouts/manifests/namespace-install.yaml"))
    assert none.versions == [] and sum(none.ignored.values()) == 10 and report.items == []


def test_argo_cd_chart_templates() -> None:
    result, report = run(data("argo-helm/charts/argo-cd"))
    assert kinds(result) == [(k, "v1alpha1") for k in ("AppProject", "Application", "ApplicationSet")]
    assert {v.group for v in result.versions} == {"argoproj.io"}
    assert all("/templates/crds/crd-" in v.source for v in result.versions)
    app_set = one(result, "ApplicationSet", "v1alpha1")
    assert data("argo-helm/charts/argo-cd/templates/crds/crd-applicationset.yaml").stat().st_size > 1_000_000
    assert app_set.schema is not None and len(str(app_set.schema)) > 300_000
    assert result.chart is not None and result.chart["name"] == "argo-cd"
    # every other template holds Go template syntax that cannot be read without evaluating it
    assert len(result.skipped) == 130
    assert all("/templates/" in n and "template not read" in n for n in result.skipped)
    assert not any("/templates/crds/" in n for n in result.skipped)
    assert errors(report) == []


def test_argo_workflows_minimal() -> None:
    result, report = run(data("argo-workflows"))
    assert kinds(result) == sorted(
        (k, "v1alpha1") for k in ("ClusterWorkflowTemplate", "CronWorkflow", "Workflow", "WorkflowTemplate")
    )
    assert report.items == []


def test_whole_data_folder() -> None:
    result, report = run(CRDS)
    assert len(result.versions) == 104
    assert errors(report) == []
    assert result.versions == sorted(result.versions, key=lambda v: (v.group, v.kind, v.version))


# ------------------------------------------------------------------------ shapes the real data lacks

CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.org
spec:
  group: example.org
  names: {{kind: Widget, plural: widgets}}
  scope: Namespaced
  versions:
{versions}
"""

VERSION = """\
  - name: {name}
    served: {served}
    storage: {storage}
    schema:
      openAPIV3Schema:
        description: A widget {name}.
        type: object
"""


def crd(*versions: tuple[str, bool, bool]) -> str:
    body = "".join(
        VERSION.format(name=n, served=str(s).lower(), storage=str(t).lower()) for n, s, t in versions
    )
    return CRD.format(versions=body.rstrip("\n"))


def test_unserved_version_skipped_with_notice(tmp_path: Path) -> None:
    path = tmp_path / "widgets.yaml"
    path.write_text(crd(("v1alpha1", False, False), ("v1beta1", True, False), ("v1", True, True)))
    result, report = run(path)
    assert kinds(result) == [("Widget", "v1"), ("Widget", "v1beta1")]
    assert one(result, "Widget", "v1").description == "A widget v1."
    assert [n for n in notices(report) if "v1alpha1 not served" in n]


def test_prometheus_value_tag_key_loads(tmp_path: Path) -> None:
    # The real data holds no Prometheus CRD (grep finds no bare '=' in data/crds); this is the shape of
    # prometheus-operator's AlertmanagerConfig matchType enum, whose plain '=' YAML resolves as !!value.
    text = crd(("v1alpha1", True, True)) + (
        "        properties:\n"
        "          matchType:\n"
        "            enum:\n"
        "            - '!='\n"
        "            - =\n"
        "            - =~\n"
        "            - '!~'\n"
        "            type: string\n"
        "          =: {type: string}\n"
    )
    path = tmp_path / "monitoring.coreos.com_alertmanagerconfigs.yaml"
    path.write_text(text)
    result, report = run(path)
    schema = one(result, "Widget", "v1alpha1").schema
    assert schema is not None
    assert schema["properties"]["matchType"]["enum"] == ["!=", "=", "=~", "!~"]
    assert "=" in schema["properties"]
    assert report.items == []


def test_list_documents_empty_documents_and_bad_yaml(tmp_path: Path) -> None:
    items = [yaml.safe_load(crd(("v1", True, True))), {"kind": "ConfigMap"}]
    listed = {"apiVersion": "v1", "kind": "List", "items": items}
    (tmp_path / "a-list.yaml").write_text("---\n# nothing\n---\n" + yaml.safe_dump(listed) + "---\n")
    (tmp_path / "b-broken.yaml").write_text("kind: ConfigMap\ndata: [unclosed\n")
    (tmp_path / "c-bad-utf8.yaml").write_bytes(b"kind: Secret\nx: \xff\n")
    (tmp_path / "d-partly.yaml").write_text("kind: Service\nx: [\n---\nkind: Service\n")
    result, report = run(tmp_path)
    assert kinds(result) == [("Widget", "v1")]
    assert one(result, "Widget", "v1").source.endswith("a-list.yaml#0")
    assert result.ignored == {"ConfigMap": 1, "Service": 1}
    errs = sorted(d for d in report.items if d.severity is Severity.ERROR)
    assert [(Path(d.path).name, d.line) for d in errs] == [
        ("b-broken.yaml", 3),
        ("c-bad-utf8.yaml", 2),
        ("d-partly.yaml", 3),
    ]


def test_templates_strip_action_lines_only(tmp_path: Path) -> None:
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "crds").mkdir()
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: demo\nversion: 1.2.3\ntype: application\n")
    wrapped = crd(("v1", True, True)).replace("A widget v1.", "'Use {{ .Values.x }} here'")
    (chart / "templates" / "crd.yaml").write_text(
        "{{- if .Values.crds.install }}\n" + wrapped + "{{- end }}\n"
        "---\n"
        + crd(("v2", True, False)).replace("group: example.org", "group: {{ .Values.group }}")
        + "---\n"
        + crd(("v3", True, False)).replace("group: example.org", "group: '{{ .Values.group }}'")
        + "---\n"
        + "kind: ConfigMap\nmetadata:\n  name: x\ndata:\n  name-{{ .Values.key }}: v\n"
    )
    (chart / "templates" / "_helpers.tpl").write_text('{{- define "x" -}}\n{{- end }}\n')
    (chart / "crds" / "other.yaml").write_text(
        crd(("v9", True, True)).replace("A widget v9.", "projects/{{projectID}}")
    )
    result, report = run(chart)
    assert kinds(result) == [("Widget", "v1"), ("Widget", "v9")]
    assert one(result, "Widget", "v1").description == "Use {{ .Values.x }} here"
    assert one(result, "Widget", "v9").description == "projects/{{projectID}}"
    assert result.chart == {"name": "demo", "version": "1.2.3"}
    notes = result.skipped
    assert len(notes) == 3
    assert "crd.yaml#1" in notes[0] and "template not read" in notes[0]
    assert "crd.yaml#2" in notes[1] and "spec.group is a template" in notes[1]
    assert "crd.yaml#3" in notes[2] and "outside string values" in notes[2]
    assert errors(report) == []


def tgz(members: list[tarfile.TarInfo], payload: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for info in members:
            body = payload.get(info.name)
            if body is not None:
                info.size = len(body)
            tar.addfile(info, io.BytesIO(body) if body is not None else None)
    return buf.getvalue()


def file_member(name: str) -> tarfile.TarInfo:
    return tarfile.TarInfo(name)


def test_subcharts_folder_and_archive(tmp_path: Path) -> None:
    top = tmp_path / "top"
    (top / "crds").mkdir(parents=True)
    (top / "charts" / "sub" / "crds").mkdir(parents=True)
    (top / "Chart.yaml").write_text("name: top\nversion: 1.0.0\n")
    (top / "charts" / "sub" / "Chart.yaml").write_text("name: sub\nversion: 0.1.0\n")
    (top / "crds" / "w.yaml").write_text(crd(("v1", True, True)))
    (top / "charts" / "sub" / "crds" / "w.yaml").write_text(crd(("v2", True, False)))
    packed = {
        "packed/Chart.yaml": b"name: packed\nversion: 0.2.0\n",
        "packed/crds/w.yaml": crd(("v3", True, False)).encode(),
    }
    (top / "charts" / "packed-0.2.0.tgz").write_bytes(tgz([file_member(n) for n in packed], packed))
    result, report = run(top)
    assert kinds(result) == [("Widget", "v1"), ("Widget", "v2"), ("Widget", "v3")]
    assert result.chart == {"name": "top", "version": "1.0.0"}
    assert one(result, "Widget", "v3").source.endswith("packed-0.2.0.tgz!crds/w.yaml#0")
    assert report.items == []


def test_hostile_archives_refused(tmp_path: Path) -> None:
    chart = {
        "evil/Chart.yaml": b"name: evil\nversion: 1.0.0\n",
        "evil/crds/w.yaml": crd(("v1", True, True)).encode(),
    }
    climb = {**chart, "../../x.yaml": b"kind: ConfigMap\n"}
    (tmp_path / "climb.tgz").write_bytes(tgz([file_member(n) for n in climb], climb))
    link = tarfile.TarInfo("evil/crds/passwd.yaml")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    (tmp_path / "link.tgz").write_bytes(tgz([*(file_member(n) for n in chart), link], chart))
    hard = tarfile.TarInfo("evil/crds/hard.yaml")
    hard.type, hard.linkname = tarfile.LNKTYPE, "evil/crds/w.yaml"
    (tmp_path / "hard.tgz").write_bytes(tgz([*(file_member(n) for n in chart), hard], chart))
    (tmp_path / "junk.tgz").write_bytes(b"\x1f\x8b not really gzip")
    for name, reason in [
        ("climb.tgz", "leaves the chart folder"),
        ("link.tgz", "link"),
        ("hard.tgz", "link"),
        ("junk.tgz", "not a readable chart archive"),
    ]:
        result, report = run(tmp_path / name)
        assert result.versions == [] and result.chart is None, name
        errs = errors(report)
        assert len(errs) == 1 and name in errs[0] and reason in errs[0], errs
        assert result.skipped and "refused" in result.skipped[0]
    assert not (tmp_path.parent / "x.yaml").exists()
    # in a folder, the refused archives are reported and the rest is still read
    (tmp_path / "ok.yaml").write_text(crd(("v1", True, True)))
    result, report = run(tmp_path)
    assert kinds(result) == [("Widget", "v1")] and len(errors(report)) == 4


def test_archive_size_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import meshdocs.loaders.crds as crds

    monkeypatch.setattr(crds, "MAX_ARCHIVE_BYTES", 1000)
    body = {"big/Chart.yaml": b"name: big\n", "big/crds/w.yaml": b"#" * 2000}
    (tmp_path / "big.tgz").write_bytes(tgz([file_member(n) for n in body], body))
    result, report = run(tmp_path / "big.tgz")
    assert result.versions == [] and "more than 1,000 bytes" in errors(report)[0]


def test_missing_source_is_an_error(tmp_path: Path) -> None:
    result, report = run(tmp_path / "nope")
    assert result.versions == [] and "no such file or folder" in errors(report)[0]
