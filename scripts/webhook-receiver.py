#!/usr/bin/env python3
"""A customer's webhook endpoint for trying the hub locally: prints each delivery and checks its Standard Webhooks
signature with the customer's webhookSecret. Usage: WEBHOOK_SECRET=whsec_... python3 scripts/webhook-receiver.py 9999
"""
import base64
import hashlib
import hmac
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

SECRET = os.environ.get("WEBHOOK_SECRET", "")


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        webhook_id = self.headers.get("webhook-id", "")
        timestamp = self.headers.get("webhook-timestamp", "")
        signature = self.headers.get("webhook-signature", "")
        verdict = "no WEBHOOK_SECRET set: signature not checked"
        if SECRET:
            key = base64.b64decode(SECRET.removeprefix("whsec_"))
            expected = base64.b64encode(hmac.new(key, f"{webhook_id}.{timestamp}.".encode() + body,
                                                 hashlib.sha256).digest()).decode()
            verdict = "signature OK" if f"v1,{expected}" in signature.split(" ") else "SIGNATURE WRONG"
        payload = json.loads(body)
        print(f"{payload['type']} invoice {payload['data']['id']} total {payload['data']['total']} "
              f"{payload['data']['currency']} webhook-id {webhook_id}: {verdict}", flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 9999
    print(f"listening on http://127.0.0.1:{port}/", flush=True)
    HTTPServer(("127.0.0.1", port), Receiver).serve_forever()
