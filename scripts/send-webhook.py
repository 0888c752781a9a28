#!/usr/bin/env python3
"""Sends a file of canonical line items to a partner's webhook, signed per Standard Webhooks, as a partner would.
Usage: python3 scripts/send-webhook.py <partnerId> <apiKey> <signingSecret> <file.json> [webhook-id]
Prints the hub's answer: one outcome per item.
"""
import base64
import hashlib
import hmac
import os
import sys
import time
import urllib.error
import urllib.request

partner, api_key, secret, path = sys.argv[1:5]
webhook_id = sys.argv[5] if len(sys.argv) > 5 else f"msg_{int(time.time() * 1000)}"
body = open(path, "rb").read()
timestamp = str(int(time.time()))
key = base64.b64decode(secret.removeprefix("whsec_"))
signature = base64.b64encode(hmac.new(key, f"{webhook_id}.{timestamp}.".encode() + body, hashlib.sha256).digest())
request = urllib.request.Request(
    os.environ.get("HUB_URL", "http://localhost:8080") + f"/api/v1/partners/{partner}/line-items", data=body,
    method="POST", headers={"Content-Type": "application/json", "Authorization": f"Bearer {api_key}",
                            "webhook-id": webhook_id, "webhook-timestamp": timestamp,
                            "webhook-signature": "v1," + signature.decode()})
try:
    with urllib.request.urlopen(request) as response:
        print(response.status, response.read().decode())
except urllib.error.HTTPError as e:
    sys.exit(f"{e.code} {e.read().decode()}")
