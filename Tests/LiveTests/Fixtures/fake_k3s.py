#!/usr/bin/env python3
"""A loopback stand-in for a K3S API server, for k3sim's live-mode tests.

It serves objects in the shape a K3S v1.33 server returns them (server-set metadata,
managedFields, status, ownerReferences), over HTTPS with client-certificate or bearer-token
authentication, and behaves like the real thing where the tests look: paginated lists
(limit/continue), watches (chunked, one JSON event per line, bookmarks, 410 Gone as an ERROR
event when the resourceVersion is too old), the eviction subresource answering 429 while the
PodDisruptionBudget is at its limit, strategic-merge patches of nodes and deployments, and a
tiny ReplicaSet/kubelet: an evicted pod terminates, a replacement is scheduled on another
schedulable node and becomes Ready a moment later.

Usage: fake_k3s.py --cert server.pem --key server-key.pem --ca ca.pem --log requests.jsonl
                   [--token TOKEN] [--mode normal|pdb-blocks|evict-500] [--expire-first-pod-watch]
                   [--flaky-version N]
Prints "PORT <n>" on stdout once listening. Every request is appended to --log as a JSON line
(method, path, query, auth kind); credentials are never logged.
"""
import argparse, copy, json, ssl, sys, threading, time, uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs

LOCK = threading.RLock()
COND = threading.Condition(LOCK)
STATE = {"rv": 1000, "events": [], "compacted_below": 0, "objects": {}, "timers": []}
ARGS = None
START = "2026-09-01T10:00:00Z"


def next_rv():
    STATE["rv"] += 1
    return str(STATE["rv"])


def meta(name, namespace=None, labels=None, owner=None, annotations=None):
    m = {"name": name, "uid": str(uuid.uuid4()), "resourceVersion": next_rv(), "creationTimestamp": START,
         "managedFields": [{"manager": "k3s", "operation": "Update", "apiVersion": "v1", "time": START,
                            "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {}}}]}
    if namespace: m["namespace"] = namespace
    if labels: m["labels"] = dict(labels)
    if annotations: m["annotations"] = dict(annotations)
    if owner:
        kind, oname = owner
        m["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": kind, "name": oname, "uid": str(uuid.uuid4()),
                                 "controller": True, "blockOwnerDeletion": True}]
    return m


def node(name, typ, loc, server=False):
    labels = {"beta.kubernetes.io/arch": "arm64", "beta.kubernetes.io/instance-type": typ, "beta.kubernetes.io/os": "linux",
              "kubernetes.io/arch": "arm64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
              "node.kubernetes.io/instance-type": typ, "topology.kubernetes.io/region": loc,
              "topology.kubernetes.io/zone": {"fsn1": "fsn1-dc14", "nbg1": "nbg1-dc3", "hel1": "hel1-dc2"}[loc],
              "csi.hetzner.cloud/location": loc, "instance.hetzner.cloud/provided-by": "cloud"}
    spec = {"podCIDR": "10.42.0.0/24", "podCIDRs": ["10.42.0.0/24"], "providerID": "hcloud://%d" % (abs(hash(name)) % 10**8)}
    if server:
        labels.update({"node-role.kubernetes.io/control-plane": "true", "node-role.kubernetes.io/master": "true",
                       "node-role.kubernetes.io/etcd": "true", "node.kubernetes.io/instance-type": typ})
        spec["taints"] = [{"key": "CriticalAddonsOnly", "value": "true", "effect": "NoExecute"}]
    cpu, mem = {"cax21": ("4", "7950720Ki"), "cax31": ("8", "16082324Ki")}[typ]
    return {"metadata": meta(name, labels=labels, annotations={"k3s.io/node-args": "[\"agent\"]",
                                                               "node.alpha.kubernetes.io/ttl": "0"}),
            "spec": spec,
            "status": {"capacity": {"cpu": cpu, "memory": mem, "pods": "110", "ephemeral-storage": "78425224Ki"},
                       "allocatable": {"cpu": cpu, "memory": mem, "pods": "110", "ephemeral-storage": "76293235722"},
                       "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                       "lastHeartbeatTime": START, "lastTransitionTime": START}],
                       "nodeInfo": {"kubeletVersion": "v1.33.4+k3s1", "architecture": "arm64"}}}


def template(app, cpu="250m", mem="256Mi"):
    return {"metadata": {"creationTimestamp": None, "labels": {"app": app}},
            "spec": {"containers": [{"name": app, "image": "ghcr.io/example/%s:1.0" % app,
                                     "resources": {"requests": {"cpu": cpu, "memory": mem}},
                                     "readinessProbe": {"httpGet": {"path": "/", "port": 8080, "scheme": "HTTP"},
                                                        "periodSeconds": 5, "timeoutSeconds": 1, "successThreshold": 1,
                                                        "failureThreshold": 3},
                                     "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                                     "imagePullPolicy": "IfNotPresent"}],
                     "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
                     "securityContext": {}, "schedulerName": "default-scheduler"}}


def deployment(ns, name, replicas, app, annotations=None):
    return {"metadata": meta(name, ns, {"app": app}, annotations=dict({"deployment.kubernetes.io/revision": "1",
            "kubectl.kubernetes.io/last-applied-configuration": "{\"kind\":\"Deployment\"}"}, **(annotations or {}))),
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": app}}, "template": template(app),
                     "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
                     "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600},
            "status": {"observedGeneration": 1, "replicas": replicas, "updatedReplicas": replicas, "readyReplicas": replicas,
                       "availableReplicas": replicas}}


def pod(ns, name, app, node_name, owner):
    p = {"metadata": meta(name, ns, {"app": app, "pod-template-hash": "7c9d8b5f4"}, owner=owner),
         "spec": copy.deepcopy(template(app)["spec"]), "status": {"phase": "Running", "conditions": [
             {"type": "Ready", "status": "True", "lastTransitionTime": START}], "podIP": "10.42.1.5"}}
    p["spec"]["nodeName"] = node_name
    p["spec"]["tolerations"] = [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
                                 "tolerationSeconds": 300}]
    p["metadata"]["generation"] = 1
    return p


def put(kind, obj, event="ADDED"):
    key = (kind, obj["metadata"].get("namespace", ""), obj["metadata"]["name"])
    obj["metadata"]["resourceVersion"] = next_rv()
    STATE["objects"][key] = obj
    STATE["events"].append((int(obj["metadata"]["resourceVersion"]), kind, event, copy.deepcopy(obj)))
    COND.notify_all()


def remove(kind, ns, name):
    obj = STATE["objects"].pop((kind, ns, name), None)
    if obj:
        obj["metadata"]["resourceVersion"] = next_rv()
        STATE["events"].append((int(obj["metadata"]["resourceVersion"]), kind, "DELETED", copy.deepcopy(obj)))
        COND.notify_all()


def objects(kind, ns=None):
    return [o for (k, n, _), o in sorted(STATE["objects"].items()) if k == kind and (ns is None or n == ns)]


def later(delay, fn):
    STATE["timers"].append((time.time() + delay, fn))


def seed():
    for i, loc in enumerate(["fsn1", "nbg1", "hel1"]):
        put("nodes", node("k3s-server-%d" % i, "cax21", loc, server=True))
    for name, loc in [("k3s-agent-fsn1-a", "fsn1"), ("k3s-agent-nbg1-b", "nbg1"), ("k3s-agent-hel1-c", "hel1")]:
        put("nodes", node(name, "cax31", loc))
    put("deployments", deployment("shop", "web", 3, "web"))
    put("deployments", deployment("kube-system", "coredns", 1, "kube-dns"))
    put("deployments", deployment("kube-system", "metrics-server", 1, "metrics-server"))
    put("deployments", deployment("kube-system", "local-path-provisioner", 1, "local-path-provisioner"))
    ds = {"metadata": meta("node-exporter", "monitoring", {"app": "node-exporter"}),
          "spec": {"selector": {"matchLabels": {"app": "node-exporter"}}, "template": template("node-exporter", "10m", "32Mi"),
                   "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}},
          "status": {"desiredNumberScheduled": 3, "numberReady": 3}}
    put("daemonsets", ds)
    put("poddisruptionbudgets", {"metadata": meta("web", "shop"), "spec": {"maxUnavailable": 1, "selector": {"matchLabels": {"app": "web"}}},
                                 "status": {"currentHealthy": 3, "desiredHealthy": 2, "disruptionsAllowed": 1, "expectedPods": 3}})
    put("services", {"metadata": meta("web", "shop"), "spec": {"selector": {"app": "web"}, "clusterIP": "10.43.12.7",
                     "clusterIPs": ["10.43.12.7"], "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                     "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080}], "type": "ClusterIP",
                     "sessionAffinity": "None", "internalTrafficPolicy": "Cluster"}, "status": {"loadBalancer": {}}})
    claim = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data", "creationTimestamp": None},
             "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}},
                      "storageClassName": "local-path", "volumeMode": "Filesystem"}, "status": {"phase": "Pending"}}
    put("statefulsets", {"metadata": meta("db", "shop", {"app": "db"}), "spec": {
        "replicas": 1, "serviceName": "db", "selector": {"matchLabels": {"app": "db"}}, "template": template("db"),
        "volumeClaimTemplates": [claim], "podManagementPolicy": "OrderedReady", "revisionHistoryLimit": 10,
        "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
        "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"}},
        "status": {"replicas": 1, "readyReplicas": 1, "currentReplicas": 1, "updatedReplicas": 1}})
    for name in ["data-db-0", "uploads"]:
        pvc = {"metadata": meta(name, "shop", {"app": "db"} if name != "uploads" else None,
                                annotations={"pv.kubernetes.io/bind-completed": "yes", "volume.kubernetes.io/selected-node": "k3s-agent-hel1-c"}),
               "spec": dict(claim["spec"], volumeName="pvc-" + str(uuid.uuid4())), "status": {"phase": "Bound", "capacity": {"storage": "10Gi"}}}
        put("persistentvolumeclaims", pvc)
    put("pods", pod("shop", "db-0", "db", "k3s-agent-hel1-c", ("StatefulSet", "db")))
    put("priorityclasses", {"metadata": meta("system-node-critical"), "value": 2000001000, "globalDefault": False})
    for i, n in enumerate(["k3s-agent-fsn1-a", "k3s-agent-fsn1-a", "k3s-agent-nbg1-b"]):
        put("pods", pod("shop", "web-7c9d8b5f4-%s" % "abc"[i], "web", n, ("ReplicaSet", "web-7c9d8b5f4")))
    for n in ["k3s-agent-fsn1-a", "k3s-agent-nbg1-b", "k3s-agent-hel1-c"]:
        put("pods", pod("monitoring", "node-exporter-" + n[-1], "node-exporter", n, ("DaemonSet", "node-exporter")))
    put("pods", pod("kube-system", "coredns-6799fbcd5-x1", "kube-dns", "k3s-server-0", ("ReplicaSet", "coredns-6799fbcd5")))
    STATE["compacted_below"] = 0


def deployment_of(p):
    ref = (p["metadata"].get("ownerReferences") or [{}])[0]
    if ref.get("kind") != "ReplicaSet": return None
    return p["metadata"]["namespace"], ref["name"].rsplit("-", 1)[0]


def sync_deployment(ns, name):
    d = STATE["objects"].get(("deployments", ns, name))
    if not d: return
    sel = d["spec"]["selector"]["matchLabels"]
    pods = [p for p in objects("pods", ns) if all(p["metadata"]["labels"].get(k) == v for k, v in sel.items())]
    live = [p for p in pods if "deletionTimestamp" not in p["metadata"]]
    ready = [p for p in live if p["status"]["conditions"][0]["status"] == "True"]
    gen = d["metadata"].get("generation", 1)
    updated = [p for p in live if p["metadata"].get("generation", 1) == gen]
    st = {"observedGeneration": gen, "replicas": len(live), "updatedReplicas": len(updated),
          "readyReplicas": len(ready), "availableReplicas": len(ready)}
    if st != d["status"]:
        d["status"] = st
        put("deployments", d, "MODIFIED")


def terminate(p, replace=True):
    """Graceful deletion: Terminating now, gone after 0.4 s; the ReplicaSet replaces it."""
    ns, name = p["metadata"]["namespace"], p["metadata"]["name"]
    p["metadata"]["deletionTimestamp"] = START
    p["status"]["conditions"][0]["status"] = "False"
    put("pods", p, "MODIFIED")
    owner = deployment_of(p)
    if owner: sync_deployment(*owner)
    def gone():
        remove("pods", ns, name)
        if owner and replace: create_replacement(*owner, generation=p["metadata"].get("generation", 1))
    later(0.4, gone)


def create_replacement(ns, dname, generation):
    d = STATE["objects"].get(("deployments", ns, dname))
    if not d: return
    taken = [o["metadata"]["name"] for o in objects("pods", ns)]
    nodes = [n for n in objects("nodes") if not n["spec"].get("unschedulable") and not n["spec"].get("taints")]
    target = nodes[len(taken) % len(nodes)]["metadata"]["name"]
    name = "%s-7c9d8b5f4-r%d" % (dname, STATE["rv"])
    app = d["spec"]["selector"]["matchLabels"]["app"]
    p = pod(ns, name, app, target, ("ReplicaSet", dname + "-7c9d8b5f4"))
    p["metadata"]["generation"] = generation
    p["status"] = {"phase": "Pending", "conditions": [{"type": "Ready", "status": "False", "lastTransitionTime": START}]}
    put("pods", p)
    sync_deployment(ns, dname)
    def ready():
        q = STATE["objects"].get(("pods", ns, name))
        if not q: return
        q["status"] = {"phase": "Running", "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": START}]}
        put("pods", q, "MODIFIED")
        sync_deployment(ns, dname)
    later(0.8, ready)


def rollout_step(ns, name):
    """One pod at a time: surge a new pod, then (once Ready) terminate an old one."""
    d = STATE["objects"].get(("deployments", ns, name))
    gen = d["metadata"]["generation"]
    old = [p for p in objects("pods", ns) if deployment_of(p) == (ns, name) and p["metadata"].get("generation", 1) != gen
           and "deletionTimestamp" not in p["metadata"]]
    if not old: return
    create_replacement(ns, name, gen)
    later(1.0, lambda: (terminate(old[0], replace=False), later(0.5, lambda: rollout_step(ns, name))))


def ticker():
    while True:
        time.sleep(0.05)
        with LOCK:
            now = time.time()
            due = [t for t in STATE["timers"] if t[0] <= now]
            STATE["timers"] = [t for t in STATE["timers"] if t[0] > now]
            for _, fn in sorted(due, key=lambda t: t[0]):
                fn()
            for d in objects("deployments"):
                sync_deployment(d["metadata"]["namespace"], d["metadata"]["name"])


KINDS = {  # path segment -> (kind, apiVersion, namespaced)
    "nodes": ("Node", "v1", False), "pods": ("Pod", "v1", True), "services": ("Service", "v1", True),
    "persistentvolumeclaims": ("PersistentVolumeClaim", "v1", True),
    "deployments": ("Deployment", "apps/v1", True), "statefulsets": ("StatefulSet", "apps/v1", True),
    "daemonsets": ("DaemonSet", "apps/v1", True), "replicasets": ("ReplicaSet", "apps/v1", True),
    "poddisruptionbudgets": ("PodDisruptionBudget", "policy/v1", True),
    "priorityclasses": ("PriorityClass", "scheduling.k8s.io/v1", False),
}


def status(code, reason, message):
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
            "reason": reason, "code": code}


def typed(plural, o):
    kind, api, _ = KINDS[plural]
    return dict({"apiVersion": api, "kind": kind}, **o)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def auth(self):
        cert = self.connection.getpeercert()
        if cert: return "cert"
        h = self.headers.get("Authorization", "")
        if ARGS.token and h == "Bearer " + ARGS.token: return "token"
        return None

    def send_json(self, code, doc):
        body = json.dumps(doc).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if code == 429: self.send_header("Retry-After", "1")
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self, method):
        u = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(u.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        who = self.auth()
        with open(ARGS.log, "a") as f:
            f.write(json.dumps({"method": method, "path": u.path, "query": q, "auth": who, "t": time.time()}) + "\n")
        if who is None:
            return self.send_json(401, status(401, "Unauthorized", "Unauthorized"))
        parts = [p for p in u.path.split("/") if p]
        if u.path == "/version" and STATE.setdefault("flaky", ARGS.flaky_version) > 0:
            STATE["flaky"] -= 1  # an API server restarting (a K3S upgrade): 503, then fine
            return self.send_json(503, status(503, "ServiceUnavailable", "the server is currently unable to handle the request"))
        if u.path == "/version":
            return self.send_json(200, {"major": "1", "minor": "33", "gitVersion": "v1.33.4+k3s1", "platform": "linux/arm64"})
        # /api/v1/... or /apis/G/V/...
        rest = parts[2:] if parts[:1] == ["api"] else parts[3:]
        ns = None
        if rest[:1] == ["namespaces"] and len(rest) >= 3:
            ns, rest = rest[1], rest[2:]
        if not rest or rest[0] not in KINDS:
            return self.send_json(404, status(404, "NotFound", "the server could not find the requested resource"))
        plural, name, sub = rest[0], (rest[1] if len(rest) > 1 else None), (rest[2] if len(rest) > 2 else None)
        with LOCK:
            if method == "GET" and name is None and q.get("watch") in ("1", "true"):
                return self.watch(plural, ns, q)
            if method == "GET" and name is None:
                return self.list(plural, ns, q)
            key = (plural, ns or "", name)
            obj = STATE["objects"].get(key)
            if method == "GET":
                return self.send_json(200, typed(plural, obj)) if obj else self.send_json(404, status(404, "NotFound", '%s "%s" not found' % (plural, name)))
            if obj is None:
                return self.send_json(404, status(404, "NotFound", '%s "%s" not found' % (plural, name)))
            if method == "PATCH":
                patch = json.loads(body)
                if plural == "nodes":
                    obj["spec"]["unschedulable"] = bool(patch["spec"]["unschedulable"])
                    if not obj["spec"]["unschedulable"]: obj["spec"].pop("unschedulable")
                elif plural == "deployments":
                    ann = patch["spec"]["template"]["metadata"]["annotations"]
                    obj["spec"]["template"]["metadata"].setdefault("annotations", {}).update(ann)
                    obj["metadata"]["generation"] = obj["metadata"].get("generation", 1) + 1
                    later(0.2, lambda: rollout_step(ns, name))
                put(plural, obj, "MODIFIED")
                return self.send_json(200, typed(plural, obj))
            if method == "POST" and plural == "pods" and sub == "eviction":
                return self.evict(obj)
            if method == "DELETE" and plural == "pods":
                terminate(obj)
                return self.send_json(200, typed(plural, obj))
        return self.send_json(405, status(405, "MethodNotAllowed", "not supported by the test server"))

    def evict(self, p):
        if ARGS.mode == "evict-500":
            return self.send_json(500, status(500, "InternalError", "etcdserver: request timed out"))
        app = p["metadata"]["labels"].get("app")
        if app == "web":
            healthy = [o for o in objects("pods", "shop") if o["metadata"]["labels"].get("app") == "web"
                       and "deletionTimestamp" not in o["metadata"] and o["status"]["conditions"][0]["status"] == "True"]
            if ARGS.mode == "pdb-blocks" or len(healthy) < 3:
                return self.send_json(429, status(429, "TooManyRequests",
                                                  "Cannot evict pod as it would violate the pod's disruption budget."))
        terminate(p)
        return self.send_json(201, {"kind": "Status", "apiVersion": "v1", "status": "Success", "code": 201})

    def list(self, plural, ns, q):
        items = objects(plural, ns)
        sel = q.get("fieldSelector", "")
        if sel.startswith("spec.nodeName="):
            items = [o for o in items if o["spec"].get("nodeName") == sel.split("=", 1)[1]]
        start = int(q["continue"]) if q.get("continue") else 0
        limit = int(q.get("limit") or 0) or len(items) or 1
        page = items[start:start + limit]
        md = {"resourceVersion": str(STATE["rv"])}
        if start + limit < len(items): md["continue"] = str(start + limit)
        kind, api, _ = KINDS[plural]
        return self.send_json(200, {"kind": kind + "List", "apiVersion": api, "metadata": md,
                                    "items": [typed(plural, o) for o in page]})

    def chunk(self, doc):
        data = (json.dumps(doc) + "\n").encode()
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def watch(self, plural, ns, q):
        rv = int(q.get("resourceVersion") or STATE["rv"])
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if ARGS.expire_first_pod_watch and plural == "pods" and not STATE.get("expired_once"):
            STATE["expired_once"] = True
            STATE["compacted_below"] = STATE["rv"] + 1
        if rv < STATE["compacted_below"]:
            self.chunk({"type": "ERROR", "object": status(410, "Expired", "too old resource version: %d (%d)" % (rv, STATE["compacted_below"]))})
            self.wfile.write(b"0\r\n\r\n")
            return
        end = time.time() + min(int(q.get("timeoutSeconds") or 30), 30)
        sel = q.get("fieldSelector", "")
        last_bookmark = time.time()
        try:
            while time.time() < end:
                for (erv, kind, etype, obj) in [e for e in STATE["events"] if e[0] > rv and e[1] == plural]:
                    rv = erv
                    if ns and obj["metadata"].get("namespace") != ns: continue
                    if sel.startswith("spec.nodeName=") and obj["spec"].get("nodeName") != sel.split("=", 1)[1]: continue
                    self.chunk({"type": etype, "object": typed(plural, obj)})
                if q.get("allowWatchBookmarks") == "true" and time.time() - last_bookmark > 1:
                    kind, api, _ = KINDS[plural]
                    self.chunk({"type": "BOOKMARK", "object": {"kind": kind, "apiVersion": api,
                                                               "metadata": {"resourceVersion": str(STATE["rv"])}}})
                    rv = max(rv, STATE["rv"])
                    last_bookmark = time.time()
                COND.wait(0.2)
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass

    def do_GET(self): self.handle_any("GET")
    def do_POST(self): self.handle_any("POST")
    def do_PATCH(self): self.handle_any("PATCH")
    def do_DELETE(self): self.handle_any("DELETE")
    def do_PUT(self): self.handle_any("PUT")


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--cert"); p.add_argument("--key"); p.add_argument("--ca"); p.add_argument("--log")
    p.add_argument("--token"); p.add_argument("--mode", default="normal")
    p.add_argument("--expire-first-pod-watch", action="store_true")
    p.add_argument("--flaky-version", type=int, default=0)
    ARGS = p.parse_args()
    with LOCK:
        seed()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(ARGS.cert, ARGS.key)
    ctx.load_verify_locations(ARGS.ca)
    ctx.verify_mode = ssl.CERT_OPTIONAL
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=ticker, daemon=True).start()
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
