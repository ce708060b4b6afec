"""The Python side of mailport's differential oracle.

Reads a JSON array of recipes (see recipe.ts for the format) on stdin, builds each
message with Python's standard `email` package, and writes a JSON array on stdout:
one {"name", "bytes" (base64 of as_bytes), "string"?, "error"?} per recipe, in order.

Standard library only. One process builds every recipe.

A recipe may carry "normalize": a list of documented, systematic differences that
mailport makes on purpose (see divergences.ts), applied to the Python tree while it
is built:
  - "mimeVersionAtRoot": the part that add_alternative/add_related/add_attachment
    creates gets no MIME-Version header (Python's set_content gives it one), and an
    EmailMessage that add_*/make_* turns into a multipart gets one when it has none
    (Python leaves such a message without MIME-Version anywhere).
"""

import base64
import datetime
import json
import sys

from email import policy as email_policy
from email import utils
from email.headerregistry import Address, Group
from email.message import EmailMessage, Message
from email.mime.application import MIMEApplication
from email.mime.audio import MIMEAudio
from email.mime.base import MIMEBase
from email.mime.image import MIMEImage
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

NAMED = {
    "default": email_policy.default,
    "SMTP": email_policy.SMTP,
    "SMTPUTF8": email_policy.SMTPUTF8,
    "HTTP": email_policy.HTTP,
    "strict": email_policy.strict,
    "compat32": email_policy.compat32,
}

OVERRIDE_NAMES = {
    "maxLineLength": "max_line_length",
    "cteType": "cte_type",
    "utf8": "utf8",
    "linesep": "linesep",
    "mangleFrom": "mangle_from_",
    "raiseOnDefect": "raise_on_defect",
}


def make_policy(ref):
    if isinstance(ref, str):
        return NAMED[ref]
    overrides = {}
    for key, value in ref["overrides"].items():
        if key == "maxLineLength" and value == 0:
            value = None
        overrides[OVERRIDE_NAMES[key]] = value
    return NAMED[ref["base"]].clone(**overrides)


def pattern_bytes(spec):
    seed = spec["seed"]
    return bytes((seed + 31 * i + 7 * (i >> 8)) & 0xFF for i in range(spec["length"]))


def make_address(spec):
    kw = {}
    if "displayName" in spec:
        kw["display_name"] = spec["displayName"]
    if "username" in spec:
        kw["username"] = spec["username"]
    if "domain" in spec:
        kw["domain"] = spec["domain"]
    if "addrSpec" in spec:
        kw["addr_spec"] = spec["addrSpec"]
    return Address(**kw)


def value(v, norm):
    """Turns a tagged JSON value into the Python object it stands for."""
    if isinstance(v, list):
        return [value(x, norm) for x in v]
    if not isinstance(v, dict):
        return v
    if "$address" in v:
        return make_address(v["$address"])
    if "$group" in v:
        g = v["$group"]
        return Group(g["displayName"], [make_address(a["$address"]) for a in g["addresses"]])
    if "$date" in v:
        return datetime.datetime.fromisoformat(v["$date"].replace("Z", "+00:00"))
    if "$base64" in v:
        return base64.b64decode(v["$base64"])
    if "$bytes" in v:
        return pattern_bytes(v["$bytes"])
    if "$formataddr" in v:
        args = v["$formataddr"]
        if len(args) == 3:
            return utils.formataddr((args[0], args[1]), args[2])
        return utils.formataddr((args[0], args[1]))
    if "$formatdate" in v:
        d = v["$formatdate"]
        return utils.formatdate(d["timeval"], localtime=False, usegmt=d.get("usegmt", False))
    if "$message" in v:
        return build(v["$message"], norm)
    raise ValueError("unknown tagged value %r" % (v,))


def header_value(v):
    v = value(v, ())
    # A list of addresses/groups is given to the header as a tuple, as Python expects.
    return tuple(v) if isinstance(v, list) else v


def param_value(v):
    return tuple(v) if isinstance(v, list) else v


def do_set(msg, name, v):
    """mailport's set(): replace every occurrence (the first keeps its place) or append."""
    if name in msg:
        msg.replace_header(name, v)
        first = msg._headers[[k.lower() for k, _ in msg._headers].index(name.lower())]
        msg._headers = [h for h in msg._headers if h[0].lower() != name.lower() or h is first]
    else:
        msg[name] = v


def content_kwargs(opts):
    kw = {}
    for key in ("maintype", "subtype", "charset", "cte", "disposition", "filename", "cid", "params", "headers"):
        if key in opts:
            kw[key] = opts[key]
    return kw


def mime_version_at_root(msg):
    """mailport's EmailMessage adds MIME-Version when add_*/make_* makes it a multipart."""
    if isinstance(msg, EmailMessage) and "MIME-Version" not in msg:
        msg["MIME-Version"] = "1.0"


def apply(msg, op, norm):
    kind = op["op"]
    if kind == "set":
        do_set(msg, op["name"], header_value(op["value"]))
    elif kind == "append":
        msg[op["name"]] = header_value(op["value"])
    elif kind == "delete":
        del msg[op["name"]]
    elif kind == "replaceHeader":
        msg.replace_header(op["name"], header_value(op["value"]))
    elif kind == "addHeader":
        params = {k: param_value(v) for k, v in op["params"].items()}
        msg.add_header(op["name"], op["value"], **params)
    elif kind == "setParam":
        kw = {}
        for key, py in (("header", "header"), ("requote", "requote"), ("charset", "charset"),
                        ("language", "language"), ("replace", "replace")):
            if key in op:
                kw[py] = op[key]
        msg.set_param(op["param"], op["value"], **kw)
    elif kind == "delParam":
        kw = {"header": op["header"]} if "header" in op else {}
        msg.del_param(op["param"], **kw)
    elif kind in ("setContent", "addAlternative", "addRelated", "addAttachment"):
        method = {"setContent": msg.set_content, "addAlternative": msg.add_alternative,
                  "addRelated": msg.add_related, "addAttachment": msg.add_attachment}[kind]
        method(value(op["content"], norm), **content_kwargs(op.get("options", {})))
        if kind != "setContent" and "mimeVersionAtRoot" in norm:
            del msg.get_payload()[-1]["MIME-Version"]
            mime_version_at_root(msg)
    elif kind in ("makeMixed", "makeAlternative", "makeRelated"):
        method = {"makeMixed": msg.make_mixed, "makeAlternative": msg.make_alternative,
                  "makeRelated": msg.make_related}[kind]
        method(op["boundary"]) if "boundary" in op else method()
        if "mimeVersionAtRoot" in norm:
            mime_version_at_root(msg)
    elif kind == "attach":
        msg.attach(build(op["part"], norm))
    elif kind == "setPayload":
        if "charset" in op:
            msg.set_payload(op["payload"], op["charset"])
        else:
            msg.set_payload(op["payload"])
    elif kind == "setCharset":
        msg.set_charset(op["charset"])
    elif kind == "preamble":
        msg.preamble = op["text"]
    elif kind == "epilogue":
        msg.epilogue = op["text"]
    elif kind == "setBoundary":
        msg.set_boundary(op["boundary"])
    else:
        raise ValueError("unknown op %r" % (kind,))


def construct(spec, norm):
    cls = spec["class"]
    args = spec.get("args", [])
    if cls == "EmailMessage":
        return EmailMessage(policy=make_policy(spec.get("policy", "default")))
    if cls == "Message":
        return Message(policy=make_policy(spec.get("policy", "compat32")))
    if cls == "MIMEText":
        return MIMEText(*args)
    if cls == "MIMEMultipart":
        subtype = args[0] if len(args) > 0 and args[0] is not None else "mixed"
        boundary = args[1] if len(args) > 1 else None
        subparts = [build(p, norm) for p in args[2]] if len(args) > 2 and args[2] is not None else None
        return MIMEMultipart(subtype, boundary, subparts)
    if cls == "MIMEBase":
        params = args[2] if len(args) > 2 and args[2] is not None else {}
        return MIMEBase(args[0], args[1], **params)
    if cls in ("MIMEApplication", "MIMEImage", "MIMEAudio"):
        data = value(args[0], norm)
        if cls == "MIMEApplication":
            return MIMEApplication(data, args[1] if len(args) > 1 else "octet-stream")
        klass = MIMEImage if cls == "MIMEImage" else MIMEAudio
        return klass(data, args[1] if len(args) > 1 else None)
    if cls == "MIMEMessage":
        return MIMEMessage(build(args[0], norm), args[1] if len(args) > 1 else "rfc822")
    raise ValueError("unknown class %r" % (cls,))


def build(spec, norm):
    msg = construct(spec, norm)
    for op in spec.get("ops", []):
        apply(msg, op, norm)
    return msg


def fix_boundaries(msg):
    """Gives every multipart, in walk order, the boundary ===============<n>== (n from 1)."""
    n = 0
    for part in msg.walk():
        if part.get_content_maintype() == "multipart":
            n += 1
            part.set_boundary("===============%d==" % n)


def run(recipe):
    out = {"name": recipe["name"]}
    try:
        msg = build(recipe["message"], recipe.get("normalize", []))
        fix_boundaries(msg)
        pol = make_policy(recipe["output"])
        out["bytes"] = base64.b64encode(msg.as_bytes(policy=pol)).decode("ascii")
        if recipe.get("string"):
            out["string"] = msg.as_string(policy=pol)
    except Exception as e:  # the recipe may expect an error on both sides
        out.pop("bytes", None)
        out["error"] = "%s: %s" % (type(e).__name__, e)
    return out


def main():
    recipes = json.load(sys.stdin)
    json.dump([run(r) for r in recipes], sys.stdout)


if __name__ == "__main__":
    main()
