#!/usr/bin/env python3
"""Derives the shipped price catalogs (Sources/Catalog/Resources/*.json) from the reference
draft ../shared/reference/pricing-catalog.json (and the [M]/[S] figures that pricing.md lists
beside it). Run from the repository root:

    python3 tools/derive-price-catalogs.py ../shared/reference/pricing-catalog.json

Prices found later, and corrections to the draft, are applied on top from tools/price-sources.json
(each with its value, as-of date, source and confidence), so that a re-derivation reproduces the
shipped files exactly.

Every price keeps its as-of date, source and a confidence mark:
verified [V], derived [D], secondary [S], memory [M] (from memory, verify), conflict (two
sources disagree), unverified. A price the reference does not have is null: k3sim treats it
as a named, overridable parameter (`--catalog`), never as zero.
Output is deterministic (sorted keys, 2-space indent) so that a re-derivation diffs cleanly.
"""
import json
import sys

src = json.load(open(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference/pricing-catalog.json"))
prov = {p["id"]: p for p in src["providers"]}
OUT = "Sources/Catalog/Resources/"


# Prices found after the reference was drafted, and corrections to it: every entry names its
# source and as-of date, so the overlay stays as auditable as the reference itself.
CORRECTIONS = json.load(open("tools/price-sources.json"))["corrections"]


def matches(entry, match):
    return all(entry.get(k) == v for k, v in match.items())


def apply_corrections(provider, doc):
    for c in (c for c in CORRECTIONS if c["provider"] == provider):
        m = c["match"]
        if c["kind"] == "newItem":
            targets = []
            doc["items"].append(dict(c["set"]))
        elif c["kind"] == "type":
            targets = [t for t in doc["instanceTypes"] if matches(t, m)]
        elif c["kind"] == "price":
            targets = [p for t in doc["instanceTypes"] if t["id"] == m["type"]
                       for p in t["prices"] if p["region"] == m["region"]]
        else:
            targets = [i for i in doc["items"] if matches(i, {"region": None, **m} if "region" not in m else m)]
        if c["kind"] != "newItem" and len(targets) != 1:
            sys.exit(f"correction {c} matches {len(targets)} entries, not one")
        for t in targets:
            t.update(c["set"])


def write(name, doc):
    apply_corrections(doc.get("provider"), doc)
    with open(OUT + name, "w") as f:
        json.dump(doc, f, indent=2, sort_keys=True, ensure_ascii=False)
        f.write("\n")


def conf_hetzner(s):
    s = (s or "").lower()
    if s.startswith("confirmed"):
        return "verified"
    if s.startswith("derived"):
        return "derived"
    return "unverified"


# ---------------------------------------------------------------- Hetzner
h = prov["hetzner"]
NEW_SRC = h["nodeTypes"][0]["priceHistory"][2]["source"]
APR_SRC = h["nodeTypes"][0]["priceHistory"][1]["source"]
types = []
for t in h["nodeTypes"]:
    locs = t["locations"]
    regions = sorted({{"fsn1": "eu-central", "nbg1": "eu-central", "hel1": "eu-central", "ash": "us-east",
                       "hil": "us-west", "sin": "ap-southeast"}[l] for l in locs})
    orderable = not t["id"].startswith(("cax", "cx"))
    prices = []
    eu = "eu-central" in regions
    if t.get("pricePerMonth") is not None:
        prices.append({
            "basis": "new", "region": "eu-central" if eu else None,
            "perMonth": t["pricePerMonth"], "perHour": t.get("pricePerHour"),
            "asOf": "2026-06-15", "source": NEW_SRC if eu else "github.com/mixxor/eu-cloud-prices prices/hetzner.json @40e3af6",
            "confidence": conf_hetzner(t.get("priceConfidence")),
            "note": "list price for new orders and rescales since 2026-06-15; server only (primary IPv4 billed separately); net, excl. VAT",
        })
    for hist in t["priceHistory"]:
        if hist["effective"] == "2026-04-01" and hist.get("serverOnlyPerMonth") is not None:
            prices.append({
                "basis": "existing", "region": "eu-central",
                "perMonth": hist["serverOnlyPerMonth"], "perHour": hist.get("serverOnlyPerHour"),
                "asOf": "2026-04-01", "source": APR_SRC, "confidence": "verified",
                "note": "servers created before 2026-06-15 keep this rate until rescaled",
            })
    for rp in t.get("regionalPrices", []):
        if rp["location"] == "sin" and rp.get("serverOnlyPerMonth") is not None and rp["asOf"].startswith("2026"):
            prices.append({
                "basis": "new", "region": "ap-southeast", "perMonth": rp["serverOnlyPerMonth"], "perHour": None,
                "asOf": rp["asOf"], "source": rp["source"], "confidence": "derived", "note": rp.get("note"),
            })
    included = t.get("includedTrafficTB")
    types.append({
        "id": t["id"], "family": t["family"], "arch": t["arch"], "cpuType": t.get("cpuType"),
        "vcpu": t["vcpu"], "memoryGiB": t["memoryGiB"], "diskGB": t.get("diskGB"),
        "offeredIn": locs, "orderable": orderable,
        "availability": {"asOf": "2026-09-03", "note": t["availability"],
                         "source": "hetzner.com cost-optimized page via robhunter/agentdeals PR #1286, #1323, issue #1181"},
        "includedTrafficTB": included, "maxPods": None, "prices": prices,
    })

ipv4 = h["publicIPs"]["primaryIPv4"]
st = h["storage"]
lb = {x["id"]: x for x in h["loadBalancers"]}
hetzner_items = [
    {"id": "primary-ipv4", "description": "primary IPv4 address (one per server)", "unit": "month",
     "price": ipv4["pricePerMonth"], "perHour": ipv4["pricePerHour"], "asOf": "2022-08-10",
     "source": ipv4["source"], "confidence": "verified", "note": ipv4["note"]},
    {"id": "lb11", "description": "Load Balancer LB11", "unit": "month", "price": lb["lb11"]["pricePerMonth"],
     "perHour": lb["lb11"]["pricePerHour"], "asOf": "2026-04-01", "source": lb["lb11"]["source"], "confidence": "verified"},
    {"id": "lb21", "description": "Load Balancer LB21", "unit": "month", "price": lb["lb21"]["pricePerMonth"],
     "perHour": lb["lb21"]["pricePerHour"], "asOf": "2026", "source": lb["lb21"]["source"], "confidence": "secondary",
     "note": lb["lb21"]["confidence"]},
    {"id": "lb31", "description": "Load Balancer LB31", "unit": "month", "price": None, "asOf": None, "source": None,
     "confidence": "unverified", "note": lb["lb31"]["confidence"]},
    {"id": "volume", "description": "block storage volume", "unit": "GB-month", "price": st["volumePerGBMonth"],
     "asOf": "2026-04-01", "source": st["volumeSource"], "confidence": "verified"},
    {"id": "snapshot", "description": "snapshot", "unit": "GB-month", "price": st["snapshotPerGBMonth"],
     "asOf": "2026-04-01", "source": st["snapshotSource"], "confidence": "derived"},
    {"id": "backup", "description": "server backups (daily, 7 slots)", "unit": "percent of server price",
     "price": st["backupPercentOfServerPrice"], "asOf": "2026", "source": st["backupSource"], "confidence": "verified"},
    {"id": "object-storage", "description": "Object Storage (S3-compatible) base", "unit": "month",
     "price": st["objectStorage"]["basePerMonth"], "asOf": "2026-04-01", "source": st["objectStorage"]["source"],
     "confidence": "derived", "note": "includes 1 TB storage + 1 TB egress",
     "includedStorageGB": 1024, "includedEgressGB": 1024},
    {"id": "object-storage-overage", "description": "Object Storage above the included 1 TB", "unit": "GB-month",
     "price": None, "asOf": None, "source": None, "confidence": "unverified",
     "note": "overage per GB not verified (mixxor lists ~0.0104 EUR/GB gross)"},
]
for region, key in [("eu-central", "eu"), ("us-east", "us"), ("us-west", "us"), ("ap-southeast", "sin")]:
    hetzner_items.append({
        "id": "traffic-overage", "region": region, "description": "outbound traffic above the included allowance",
        "unit": "TB", "price": h["egress"]["overagePerTB"][key], "asOf": "2026-05-27",
        "source": h["egress"]["overageSource"], "confidence": "verified" if key == "eu" else "secondary"})

write("hetzner.json", {
    "schemaVersion": 1, "provider": "hetzner", "name": "Hetzner Cloud", "currency": "EUR", "asOf": h["asOf"],
    "source": h["source"], "notes": [h["vatNote"], h["staleness"], h["billing"]["priceChangeRules"]],
    "billing": {"model": "hourly-capped", "hoursPerMonth": 730, "source": h["billing"]["source"],
                "note": h["billing"]["capRule"] + "; every started hour is billed"},
    "controlPlane": None,
    "regions": [
        {"id": "eu-central", "name": "EU central network zone", "geo": "eu",
         "zones": [{"id": "fsn1", "label": "fsn1-dc14"}, {"id": "nbg1", "label": "nbg1-dc3"}, {"id": "hel1", "label": "hel1-dc2"}]},
        {"id": "us-east", "name": "Ashburn", "geo": "us", "zones": [{"id": "ash", "label": "ash-dc1"}]},
        {"id": "us-west", "name": "Hillsboro", "geo": "us", "zones": [{"id": "hil", "label": "hil-dc1"}]},
        {"id": "ap-southeast", "name": "Singapore", "geo": "ap", "zones": [{"id": "sin", "label": "sin-dc1"}]},
    ],
    "instanceTypes": types, "items": hetzner_items,
})

# ---------------------------------------------------------------- AWS
a = prov["aws-eks"]
# max pods per type with the VPC CNI: ENIs * (IPv4 per ENI - 1) + 2
# (awslabs/amazon-eks-ami templates/shared/runtime/eni-max-pods.txt)
MAXPODS = {"t4g.medium": 17, "t4g.large": 35, "t4g.xlarge": 58, "t4g.2xlarge": 58,
           "m7g.medium": 8, "m7g.large": 29, "m7g.xlarge": 58, "m7g.2xlarge": 58,
           "c7g.medium": 8, "c7g.large": 29, "c7g.xlarge": 58, "c7g.2xlarge": 58,
           "m8g.medium": 8, "m8g.large": 29, "m8g.xlarge": 58, "m8g.2xlarge": 58}
atypes = []
for t in a["nodeTypes"]:
    prices = []
    for region in ["eu-central-1", "us-east-1"]:
        ph = t["pricePerHour"].get(region)
        prices.append({"basis": None, "region": region, "perHour": ph, "perMonth": None,
                       "asOf": "2026-08-14" if region == "eu-central-1" else "2026-06-17",
                       "source": t["sources"][region],
                       "confidence": ("verified" if ph is not None else "unverified"),
                       "note": None if ph is not None else "price not found for this region"})
    atypes.append({"id": t["id"], "family": t["cpu"], "arch": t["arch"], "cpuType": None, "vcpu": t["vcpu"],
                   "memoryGiB": t["memoryGiB"], "diskGB": 0, "offeredIn": t["locations"], "orderable": True,
                   "availability": None, "includedTrafficTB": 0, "maxPods": MAXPODS[t["id"]],
                   "maxPodsSource": "awslabs/amazon-eks-ami templates/shared/runtime/eni-max-pods.txt (VPC CNI, no prefix delegation)",
                   "prices": prices})
cp = a["controlPlane"]
net = a["network"]
aws_items = [
    {"id": "eks-standard", "description": "EKS cluster fee, standard support", "unit": "hour", "price": cp["standardSupportPerHour"],
     "asOf": cp["asOf"], "source": cp["source"], "confidence": "verified"},
    {"id": "eks-extended", "description": "EKS cluster fee, extended support (total)", "unit": "hour",
     "price": cp["extendedSupportPerHour"], "asOf": cp["asOf"], "source": cp["source"], "confidence": "verified",
     "note": cp["extendedSupportNote"]},
    {"id": "public-ipv4", "description": "public IPv4 address (in use or idle)", "unit": "hour", "price": net["publicIPv4PerHour"],
     "asOf": net["publicIPv4Since"], "source": net["publicIPv4Source"], "confidence": "verified"},
    {"id": "cross-az", "description": "cross-AZ transfer, each way", "unit": "GB", "price": net["crossAZPerGBEachWay"],
     "asOf": "2026", "source": "basavytix.com", "confidence": "secondary"},
    {"id": "secrets-manager-secret", "description": "AWS Secrets Manager secret", "unit": "secret-month",
     "price": a["secretsManager"]["perSecretMonth"], "asOf": a["secretsManager"]["asOf"],
     "source": a["secretsManager"]["source"], "confidence": "secondary"},
    {"id": "secrets-manager-calls", "description": "AWS Secrets Manager API calls", "unit": "10,000 calls",
     "price": a["secretsManager"]["per10kApiCalls"], "asOf": a["secretsManager"]["asOf"],
     "source": a["secretsManager"]["source"], "confidence": "secondary"},
]
for region, v in [("us-east-1", net["natGateway"]["us-east-1"]), ("eu-central-1", net["natGateway"]["eu-central-1"])]:
    c = "verified" if region == "us-east-1" else "secondary"
    aws_items.append({"id": "nat-gateway", "region": region, "description": "NAT gateway", "unit": "hour", "price": v["perHour"],
                      "asOf": "2026-02-24" if c == "verified" else "2026", "source": net["natGateway"]["source"], "confidence": c})
    aws_items.append({"id": "nat-gateway-data", "region": region, "description": "NAT gateway data processed", "unit": "GB",
                      "price": v["perGB"], "asOf": "2026-02-24" if c == "verified" else "2026",
                      "source": net["natGateway"]["source"], "confidence": c})
aws_items += [
    {"id": "alb", "region": "us-east-1", "description": "Application Load Balancer", "unit": "hour", "price": 0.0225,
     "asOf": "2026-05", "source": "https://awsnegotiations.com/elastic-load-balancer-cost.html", "confidence": "secondary"},
    {"id": "alb-lcu", "region": "us-east-1", "description": "ALB load-balancer capacity unit", "unit": "LCU-hour", "price": 0.008,
     "asOf": "2026-05", "source": "https://awsnegotiations.com/elastic-load-balancer-cost.html", "confidence": "secondary"},
    {"id": "alb", "region": "eu-central-1", "description": "Application Load Balancer", "unit": "hour", "price": 0.027,
     "asOf": None, "source": "pricing.md §2.3 (about 0.027/h from memory)", "confidence": "memory",
     "note": "verify at aws.amazon.com/elasticloadbalancing/pricing"},
    {"id": "alb-lcu", "region": "eu-central-1", "description": "ALB load-balancer capacity unit", "unit": "LCU-hour", "price": None,
     "asOf": None, "source": None, "confidence": "unverified", "note": "not found"},
    {"id": "ebs-gp3", "region": "us-east-1", "description": "EBS gp3 volume", "unit": "GB-month", "price": 0.08,
     "asOf": "2026-03-12", "source": "kubernetesguru.com TCO post", "confidence": "secondary"},
    {"id": "ebs-gp3", "region": "eu-central-1", "description": "EBS gp3 volume", "unit": "GB-month", "price": 0.0952,
     "asOf": None, "source": "pricing.md §2.3 (0.0952 from memory; mixxor gives EUR 0.0865 ≈ USD 0.10)",
     "confidence": "memory", "note": "verify"},
    {"id": "s3-standard", "region": "us-east-1", "description": "S3 Standard storage (first 50 TB)", "unit": "GB-month",
     "price": 0.023, "asOf": "2026-08-14", "source": a["storage"]["s3Source"], "confidence": "secondary"},
    {"id": "s3-standard", "region": "eu-central-1", "description": "S3 Standard storage (first 50 TB)", "unit": "GB-month",
     "price": 0.0245, "asOf": None, "source": "pricing.md §6 (0.0245 from memory)", "confidence": "memory", "note": "verify"},
    {"id": "s3-put", "region": "us-east-1", "description": "S3 PUT/COPY/POST/LIST requests", "unit": "1,000 requests",
     "price": 0.005, "asOf": None, "source": "pricing.md §6 (from memory of aws.amazon.com/s3/pricing)", "confidence": "memory"},
    {"id": "s3-put", "region": "eu-central-1", "description": "S3 PUT/COPY/POST/LIST requests", "unit": "1,000 requests",
     "price": None, "asOf": None, "source": None, "confidence": "unverified", "note": "not verified for eu-central-1"},
    {"id": "egress", "description": "data transfer out to the internet", "unit": "GB", "price": None,
     "tiers": [{"upToGB": 100, "price": 0}, {"upToGB": 10340, "price": 0.09}, {"upToGB": 51300, "price": 0.085},
               {"upToGB": 153700, "price": 0.07}, {"upToGB": None, "price": 0.05}],
     "asOf": "2026-08-14", "source": a["egress"]["source"], "confidence": "secondary",
     "note": "first 100 GB/month free, then 0.09 up to 10 TB, 0.085 next 40 TB, 0.07 next 100 TB (sourced); 0.05 above 150 TB from memory"},
]
write("aws.json", {
    "schemaVersion": 1, "provider": "aws", "name": "AWS (EKS, EC2 Graviton On-Demand)", "currency": "USD",
    "asOf": a["asOf"], "source": a["source"],
    "notes": ["On-Demand Linux, shared tenancy, net of tax", "EC2 bills per second (60 s minimum); a month is 730 h",
              "kubelet capacity is nominal memory; EC2 reports slightly less (kernel/firmware), which k3sim ignores"],
    "billing": {"model": "per-second", "hoursPerMonth": 730, "source": "aws.amazon.com/ec2/pricing/on-demand",
                "note": a["billing"]["ec2"]},
    "controlPlane": {"standard": "eks-standard", "extended": "eks-extended"},
    "regions": [
        {"id": "eu-central-1", "name": "Frankfurt", "geo": "eu",
         "zones": [{"id": "eu-central-1a"}, {"id": "eu-central-1b"}, {"id": "eu-central-1c"}]},
        {"id": "us-east-1", "name": "N. Virginia", "geo": "us",
         "zones": [{"id": "us-east-1a"}, {"id": "us-east-1b"}, {"id": "us-east-1c"}]},
    ],
    "instanceTypes": atypes, "items": aws_items,
})

# ---------------------------------------------------------------- GCP
g = prov["gke"]
gtypes = []
for t in g["nodeTypes"]:
    if t.get("vcpu") is None:
        continue  # c4a-standard-*: no price, no shape
    prices = []
    for region, ph in sorted(t["pricePerHour"].items()):
        prices.append({"basis": None, "region": region, "perHour": ph, "perMonth": None, "asOf": None,
                       "source": t["source"] if t["source"] != "as above" else "see e2-standard-2 / t2a-standard-1",
                       "confidence": "secondary" if ph is not None else "unverified",
                       "note": None if ph is not None else "price not found for this region"})
    offered = sorted(r for r, ph in t["pricePerHour"].items())
    gtypes.append({"id": t["id"], "family": t["id"].split("-")[0].upper(), "arch": t["arch"], "cpuType": None,
                   "vcpu": t["vcpu"], "memoryGiB": t["memoryGiB"], "diskGB": 0,
                   "offeredIn": offered, "orderable": True, "availability": None, "includedTrafficTB": 0,
                   "maxPods": 110, "prices": prices,
                   **({"note": t["note"]} if "note" in t else {})})
gcp = g["controlPlane"]
ap = g["autopilot"]
gcp_items = [
    {"id": "gke-cluster-fee", "description": "GKE cluster management fee", "unit": "hour", "price": gcp["pricePerHour"],
     "asOf": "2026", "source": gcp["source"], "confidence": "verified", "note": gcp["appliesTo"]},
    {"id": "gke-free-tier-credit", "description": "GKE free tier credit", "unit": "month",
     "price": gcp["freeTier"]["monthlyCreditUSD"], "asOf": "2026", "source": gcp["source"], "confidence": "verified",
     "note": gcp["freeTier"]["scope"]},
    {"id": "autopilot-vcpu", "region": "us-central1", "description": "Autopilot general-purpose Pod vCPU", "unit": "vCPU-hour",
     "price": ap["generalPurpose"]["us-central1"]["perVCPUHour"], "asOf": None,
     "source": "pricing.md §3", "confidence": "memory", "note": ap["generalPurpose"]["us-central1"]["confidence"]},
    {"id": "autopilot-memory", "region": "us-central1", "description": "Autopilot general-purpose Pod memory", "unit": "GB-hour",
     "price": ap["generalPurpose"]["us-central1"]["perGBHour"], "asOf": None,
     "source": "pricing.md §3", "confidence": "memory"},
    {"id": "pd-balanced", "region": "us-central1", "description": "pd-balanced boot/persistent disk", "unit": "GB-month",
     "price": 0.10, "asOf": None, "source": "pricing.md §3", "confidence": "memory"},
    {"id": "pd-balanced", "region": "europe-west1", "description": "pd-balanced boot/persistent disk", "unit": "GB-month",
     "price": None, "asOf": None, "source": None, "confidence": "unverified", "note": "not found"},
    {"id": "pd-ssd", "region": "europe-west1", "description": "pd-ssd persistent disk", "unit": "GB-month", "price": 0.17,
     "asOf": "2026-05-29", "source": "mixxor/eu-cloud-prices (EUR 0.1463 ≈ USD 0.17)", "confidence": "secondary"},
    {"id": "pd-ssd", "region": "us-central1", "description": "pd-ssd persistent disk", "unit": "GB-month", "price": 0.17,
     "asOf": None, "source": "pricing.md §3", "confidence": "memory"},
    {"id": "egress", "description": "internet egress, Premium Tier", "unit": "GB", "price": None,
     "tiers": [{"upToGB": 1024, "price": 0.12}, {"upToGB": 10240, "price": 0.11}, {"upToGB": None, "price": 0.08}],
     "asOf": "2022-10-01", "source": g["egress"]["source"], "confidence": "secondary", "note": "STALE (2022); verify"},
]
write("gcp.json", {
    "schemaVersion": 1, "provider": "gcp", "name": "Google Cloud (GKE Standard, Compute Engine)", "currency": "USD",
    "asOf": g["asOf"], "source": g["source"],
    "notes": ["Compute Engine bills per second (1 minute minimum); a month is 730 h",
              "europe-west3 (Frankfurt): e2 and disk prices from Cyclenerd's pricing.yml of 2026-07-30; t2a is not offered there",
              "GCP numbers of the reference stop at 2026-05-29 (mixxor dropped its GCP fetcher)"],
    "billing": {"model": "per-second", "hoursPerMonth": 730, "source": g["source"], "note": g["billing"]["computeEngine"]},
    "controlPlane": {"fee": "gke-cluster-fee", "freeTier": "gke-free-tier-credit"},
    "regions": [
        {"id": "europe-west1", "name": "Belgium", "geo": "eu",
         "zones": [{"id": "europe-west1-b"}, {"id": "europe-west1-c"}, {"id": "europe-west1-d"}]},
        {"id": "europe-west3", "name": "Frankfurt", "geo": "eu",
         "zones": [{"id": "europe-west3-a"}, {"id": "europe-west3-b"}, {"id": "europe-west3-c"}]},
        {"id": "us-central1", "name": "Iowa", "geo": "us",
         "zones": [{"id": "us-central1-a"}, {"id": "us-central1-b"}, {"id": "us-central1-c"}]},
    ],
    "instanceTypes": gtypes, "items": gcp_items,
})

# ---------------------------------------------------------------- Linode
l = prov["lke"]
ltypes = []
for t in l["nodeTypes"]:
    c = "conflict" if "alternativePricePerMonth" in t else "secondary"
    ltypes.append({"id": t["id"], "family": t["label"], "arch": t["arch"], "cpuType": t["class"], "vcpu": t["vcpu"],
                   "memoryGiB": t["memoryGiB"], "diskGB": t["diskGB"], "offeredIn": ["eu-central", "us-east"],
                   "orderable": True, "availability": None, "includedTrafficTB": t["includedTrafficTB"], "maxPods": 110,
                   "prices": [{"basis": None, "region": None, "perMonth": t["pricePerMonth"], "perHour": t["pricePerHour"],
                               "asOf": "2026-02", "source": t["source"], "confidence": c,
                               "note": t.get("confidence")}]})
lcp = l["controlPlane"]
lke_items = [
    {"id": "lke-control-plane", "description": "LKE control plane", "unit": "month", "price": 0, "asOf": "2026",
     "source": lcp["source"], "confidence": "verified"},
    {"id": "lke-ha-control-plane", "description": "LKE HA control plane (3 replicas, 99.99% SLA)", "unit": "month",
     "price": lcp["haControlPlanePerMonth"], "perHour": lcp["haControlPlanePerHour"], "asOf": None,
     "source": lcp["source"], "confidence": "memory", "note": lcp["haNote"]},
    {"id": "nodebalancer", "description": "NodeBalancer", "unit": "month", "price": 10, "perHour": 0.015, "asOf": "2026-02",
     "source": l["loadBalancers"][0]["source"], "confidence": "secondary"},
    {"id": "block-storage", "description": "Block Storage volume", "unit": "GB-month", "price": 0.10, "asOf": "2026-02",
     "source": l["storage"]["source"], "confidence": "secondary"},
    {"id": "transfer-overage", "description": "transfer above the pooled allowance", "unit": "GB",
     "price": l["egress"]["overagePerGB"], "asOf": "2026-02", "source": l["egress"]["source"], "confidence": "secondary",
     "note": l["egress"]["model"]},
]
write("linode.json", {
    "schemaVersion": 1, "provider": "linode", "name": "Akamai/Linode (LKE)", "currency": "USD", "asOf": l["asOf"],
    "source": l["source"],
    "notes": ["core regions priced alike; some newer regions are priced higher (from memory, verify)",
              "region list is a starting set (from memory); add others with --catalog"],
    "billing": {"model": "hourly-capped", "hoursPerMonth": 730, "source": l["billing"]["source"], "note": l["billing"]["model"]},
    "controlPlane": {"standard": "lke-control-plane", "ha": "lke-ha-control-plane"},
    "regions": [
        {"id": "eu-central", "name": "Frankfurt", "geo": "eu", "zones": [{"id": "eu-central"}]},
        {"id": "us-east", "name": "Newark", "geo": "us", "zones": [{"id": "us-east"}]},
    ],
    "instanceTypes": ltypes, "items": lke_items,
})

# ---------------------------------------------------------------- Cloudflare and FX
cf = prov["cloudflare"]
write("cloudflare.json", {
    "schemaVersion": 1, "provider": "cloudflare", "name": "Cloudflare", "currency": "USD", "asOf": "2025-12",
    "source": cf["source"], "notes": [], "billing": {"model": "monthly", "hoursPerMonth": 730, "source": cf["source"]},
    "controlPlane": None, "regions": [], "instanceTypes": [],
    "items": [
        {"id": "tunnel", "description": "Cloudflare Tunnel (cloudflared)", "unit": "month", "price": 0, "asOf": "2025-12",
         "source": "https://community.cloudflare.com/t/cloudflare-billing/30110", "confidence": "secondary",
         "note": cf["tunnel"]["note"]},
        {"id": "plan-pro", "description": "Cloudflare Pro plan (per domain, annual billing)", "unit": "month", "price": 20,
         "asOf": "2025-12-01", "source": cf["source"], "confidence": "secondary"},
        {"id": "plan-business", "description": "Cloudflare Business plan (per domain, annual billing)", "unit": "month",
         "price": 200, "asOf": "2025-12-01", "source": cf["source"], "confidence": "secondary"},
    ],
})
fx = a["fx"]
write("fx.json", {"schemaVersion": 1, "rates": [{"base": "EUR", "quote": "USD", "rate": fx["eurUsd"], "date": fx["date"],
                                                "source": fx["source"]}]})
print("ok")
