#!/usr/bin/env python3
"""Creates the sample month's partners and customers (../shared/samples/master-data.json) on a hub running on its
local stack, and writes the credentials it was given to data/sample-credentials.env for `source`.

acme gets every delivery channel: email to its billing contact, a webhook to scripts/webhook-receiver.py on
http://127.0.0.1:9999/acme, and EDI X12 to the local SFTP server's /edi-mailboxes/acme. globex and initech get email.

Usage (from the project root, hub running): python3 scripts/load-sample-master-data.py [path/to/master-data.json]
"""
import base64
import json
import os
import sys
import urllib.error
import urllib.request

DATA = os.environ.get("HUB_DATA_DIR", "data")
HUB = os.environ.get("HUB_URL", "http://localhost:8080")
SAMPLES = sys.argv[1] if len(sys.argv) > 1 else "../shared/samples/master-data.json"

stack = json.load(open(os.path.join(DATA, "local-stack.json")))
ops = "Basic " + base64.b64encode(f"ops:{stack['ops']['password']}".encode()).decode()


def post(path, body):
    request = urllib.request.Request(HUB + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": ops})
    try:
        with urllib.request.urlopen(request) as response:
            return json.load(response)
    except urllib.error.HTTPError as e:
        answer = json.loads(e.read() or b"{}")
        if e.code == 409:
            print(f"  {path} {body['id']}: exists already ({answer.get('message')})")
            return None
        sys.exit(f"{path} {body['id']}: HTTP {e.code} {answer}")


def variable(name):
    return name.upper().replace("-", "_")


master = json.load(open(SAMPLES))
lines = [f"OPS_PASSWORD='{stack['ops']['password']}'", f"MAIL_PASSWORD='{stack['mail']['password']}'"]
for partner in master["partners"]:
    body = {k: v for k, v in partner.items() if k != "mapping"}
    created = post("/api/v1/partners", body)
    if created:
        print(f"partner {created['id']}: apiKey, signingSecret and sftpPassword issued")
        lines += [f"{variable(created['id'])}_API_KEY='{created['apiKey']}'",
                  f"{variable(created['id'])}_SIGNING_SECRET='{created['signingSecret']}'",
                  f"{variable(created['id'])}_SFTP_PASSWORD='{created['sftpPassword']}'"]

for customer in master["customers"]:
    body = dict(customer)
    body["delivery"] = {"email": True, "webhookUrl": None, "edi": None}
    if customer["id"] == "acme":
        os.makedirs(os.path.join(stack["sftp"]["homes"], "edi-mailboxes", "acme"), exist_ok=True)
        body["delivery"] = {
            "email": True,
            "webhookUrl": "http://127.0.0.1:9999/acme",
            "edi": {"host": "localhost", "port": stack["sftp"]["port"], "user": stack["sftp"]["hubUser"],
                    "password": stack["sftp"]["hubPassword"], "folder": "/edi-mailboxes/acme",
                    "senderId": "INVOICEHUB", "receiverId": "ACMECORP"}}
    created = post("/api/v1/customers", body)
    if created:
        channels = [name for name, value in body["delivery"].items() if value]
        print(f"customer {created['id']}: apiKey and webhookSecret issued; delivers by {', '.join(channels)}")
        lines += [f"{variable(created['id'])}_API_KEY='{created['apiKey']}'",
                  f"{variable(created['id'])}_WEBHOOK_SECRET='{created['webhookSecret']}'"]

target = os.path.join(DATA, "sample-credentials.env")
with open(target, "a") as out:
    out.write("\n".join(lines) + "\n")
print(f"credentials appended to {target}: source it")
