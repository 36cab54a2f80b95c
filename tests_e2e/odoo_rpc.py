"""JSON-RPC to the test server, as a handheld or integration would call it."""
import json
import urllib.request


def call(base_url, db, model, method, args, kwargs=None, login="admin", password="admin"):
    def rpc(service, meth, *params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1,
                           "params": {"service": service, "method": meth,
                                      "args": list(params)}}).encode()
        req = urllib.request.Request(base_url + "/jsonrpc", body,
                                     {"Content-Type": "application/json"})
        reply = json.loads(urllib.request.urlopen(req, timeout=60).read())
        if "error" in reply:
            raise RuntimeError(reply["error"]["data"]["message"])
        return reply.get("result")  # a method returning None: no "result"
    uid = rpc("common", "login", db, login, password)
    return rpc("object", "execute_kw", db, uid, password, model, method, args, kwargs or {})
