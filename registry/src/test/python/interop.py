#!/usr/bin/env python3
"""Drives Confluent's own Python client (confluent-kafka, Debian's python3-confluent-kafka) against a
schema registry and writes what it saw as JSON, for ConfluentPythonClientInteropIT.

    /usr/bin/python3 interop.py REGISTRY_URL REPORT_FILE
"""
import json
import sys

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

V1 = '{"type":"record","name":"Py","namespace":"t","fields":[{"name":"id","type":"string"}]}'
V2 = ('{"type":"record","name":"Py","namespace":"t","fields":[{"name":"id","type":"string"},'
      '{"name":"n","type":"int","default":0}]}')
SUBJECT = "py.deleted-value"
PURGED = "py.purged-value"


def error_of(call):
    """The registry's error code of a call that should fail, or None when it succeeded."""
    try:
        call()
    except SchemaRegistryError as e:
        return {"errorCode": e.error_code, "httpStatus": e.http_status_code}
    return None


def main(url, report_file):
    client = SchemaRegistryClient({"url": url})
    report = {}
    first = client.register_schema(SUBJECT, Schema(V1, "AVRO"))
    second = client.register_schema(SUBJECT, Schema(V2, "AVRO"))
    report["ids"] = [first, second]
    report["latestVersion"] = client.get_latest_version(SUBJECT).version
    report["schemaById"] = client.get_schema(first).schema_str
    report["deletedVersion"] = client.delete_version(SUBJECT, 1)
    report["versionsAfterDelete"] = client.get_versions(SUBJECT)
    report["softDeleted"] = client.delete_subject(SUBJECT)
    report["softAgain"] = error_of(lambda: client.delete_subject(SUBJECT))
    # permanent=True makes this client delete softly, then permanently
    client.register_schema(PURGED, Schema(V1, "AVRO"))
    report["permanentDeleted"] = client.delete_subject(PURGED, permanent=True)
    report["subjectsAfter"] = client.get_subjects()
    report["missing"] = error_of(lambda: client.delete_subject("py.never-registered"))
    with open(report_file, "w") as out:
        json.dump(report, out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
