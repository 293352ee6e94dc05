"""Runs AWS calls through boto3 against a moto server and prints what boto3 parsed, in the
wire JSON form the generated crates' `serde` feature writes, so a test can compare the two.

Usage: boto3_call.py ENDPOINT REGION. It then reads requests from stdin, one JSON line each,
and answers each with one JSON line on stdout, until stdin closes (one process a test, so
boto3 is imported once).

request: {"calls": [CALL, ...]}, where CALL is
  {"service": "eks", "operation": "DescribeCluster", "params": {...}}, or, for boto3's
  paginator, the same with "page_size": N.
answer: a list with a RESULT per CALL:
  {"output": WIRE} | {"pages": [WIRE, ...]} | {"error": {"code", "message", "status"}},
  with "bytes" (hex) for a streaming output's body.

WIRE is boto3's parsed output with each member under its JSON name (`jsonName`, else the
member name), timestamps as epoch seconds, blobs as base64, `ResponseMetadata` dropped.
"""

import base64
import datetime
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore import xform_name


def wire(value, shape):
    if shape is None:
        return value
    kind = shape.type_name
    if kind == "structure":
        out = {}
        for key, item in value.items():
            if key == "ResponseMetadata":
                continue
            member = shape.members[key]
            if hasattr(item, "read"):
                continue  # a streaming body: read by main()
            name = key
            if "location" not in member.serialization:
                name = member.serialization.get("name", key)
            out[name] = wire(item, member)
        return out
    if kind == "list":
        return [wire(item, shape.member) for item in value]
    if kind == "map":
        return {key: wire(item, shape.value) for key, item in value.items()}
    if kind == "timestamp":
        return value.timestamp() if isinstance(value, datetime.datetime) else value
    if kind == "blob":
        return base64.b64encode(value).decode()
    return value


def run(client, call):
    operation = client.meta.service_model.operation_model(call["operation"])
    method = xform_name(call["operation"])
    params = call.get("params", {})
    try:
        if "page_size" in call:
            paginator = client.get_paginator(method)
            pages = paginator.paginate(**params, PaginationConfig={"PageSize": call["page_size"]})
            return {"pages": [wire(p, operation.output_shape) for p in pages]}
        response = getattr(client, method)(**params)
        result = {"output": wire(response, operation.output_shape)}
        for value in response.values():
            if hasattr(value, "read"):
                result["bytes"] = value.read().hex()
        return result
    except ClientError as e:
        return {
            "error": {
                "code": e.response["Error"].get("Code"),
                "message": e.response["Error"].get("Message"),
                "status": e.response["ResponseMetadata"].get("HTTPStatusCode"),
            }
        }


def main():
    endpoint, region = sys.argv[1], sys.argv[2]
    session = boto3.session.Session(
        aws_access_key_id="AKIDTEST",
        aws_secret_access_key="secret",
        region_name=region,
    )
    config = Config(retries={"max_attempts": 1, "mode": "standard"})
    clients = {}
    for line in sys.stdin:
        request = json.loads(line)
        results = []
        for call in request["calls"]:
            service = call["service"]
            if service not in clients:
                clients[service] = session.client(service, endpoint_url=endpoint, config=config)
            results.append(run(clients[service], call))
        sys.stdout.write(json.dumps(results) + "\n")
        sys.stdout.flush()


main()
