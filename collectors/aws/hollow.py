"""Hollow answers: an HTTP 2xx whose body is empty, truncated, or lacks the result the operation documents.

botocore reads such an answer as an empty result (an empty body parses to {} in every protocol but query
XML, a truncated JSON body to {}), which a collector would take for "no resources". Every response of an
Assay client passes `check_answer` before botocore parses it. A hollow answer is turned into HTTP 500 with
the error code HollowResponse, as botocore itself treats a truncated S3 answer: the standard retry mode
tries again, and when the retries run out the call fails with that code and a message saying what was
wrong, through the same path as any other SDK error (one Failure for the step or resource).

What the answer must hold, from botocore's service model:
- a body, when the output shape has members carried in the body;
- a well-formed document of the protocol: JSON (json, rest-json), XML (query, ec2, rest-xml);
- query XML: the <OperationResponse> root and its <OperationResult> wrapper; EC2: the root; REST XML
  whose output is one document (GetBucketEncryption): that document's root;
- the result: for a paginated operation its paginator's result keys, for another List or Describe
  operation its one list member, or its only member when that is a structure (DescribeKey's KeyMetadata).
  An empty list is an element (<Roles/>, <securityGroupInfo/>) or [] in real AWS and in moto; only
  flattened XML lists, which vanish when empty, may be absent. Get operations may leave out what is not
  configured (GetBucketLogging, wafv2 GetWebACLForResource), so only their body is checked.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from typing import Any
from xml.etree import ElementTree

from botocore.model import OperationModel, Shape, StructureShape

HOLLOW = "HollowResponse"
_JSON = frozenset({"json", "rest-json"})
_XML = frozenset({"query", "ec2", "rest-xml"})
_REST = frozenset({"rest-json", "rest-xml"})
_LISTING = ("List", "Describe")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _wire_name(name: str, shape: Shape) -> str:
    return str(shape.serialization.get("name", name))


def _body_members(model: OperationModel) -> dict[str, Shape]:
    """The output members carried in the body (for REST protocols, not those in headers or the status)."""
    output = model.output_shape
    if not isinstance(output, StructureShape):
        return {}
    members = dict(output.members)
    if model.metadata.get("protocol") in _REST:
        payload = output.serialization.get("payload")
        if payload:
            return {payload: members[payload]}
        members = {k: v for k, v in members.items() if v.serialization.get("location") is None}
    return members


class AnswerCheck:
    """The checks for one client's operations; result lists are looked up once per operation."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._methods = {api: method for method, api in client.meta.method_to_api_mapping.items()}
        self._results: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def result_members(self, model: OperationModel) -> tuple[str, ...]:
        with self._lock:
            found = self._results.get(model.name)
            if found is None:
                found = self._results[model.name] = self._find_results(model)
            return found

    def _find_results(self, model: OperationModel) -> tuple[str, ...]:
        members = _body_members(model)
        method = self._methods.get(model.name, "")
        if method and self._client.can_paginate(method):
            keys = (k.expression for k in self._client.get_paginator(method).result_keys)
            named: Iterable[str] = dict.fromkeys(k.split(".")[0].split("[")[0] for k in keys)
        elif model.name.startswith(_LISTING):
            lists = [name for name, shape in members.items() if shape.type_name == "list"]
            one = [name for name, shape in members.items() if shape.type_name == "structure"]
            named = lists if len(lists) == 1 else (one if len(members) == 1 == len(one) else ())
        else:
            named = ()
        return tuple(n for n in named if n in members and not members[n].serialization.get("flattened"))

    def fault(self, model: OperationModel, body: bytes, status: int = 200) -> str | None:
        """What is hollow about an answer with `body`, or None when it holds what `model` documents."""
        if model.has_streaming_output or model.has_event_stream_output:
            return None
        members = _body_members(model)
        if not members:
            return None
        if not body.strip():
            return f"HTTP {status} with an empty body"
        output = model.output_shape
        assert isinstance(output, StructureShape)
        payload = output.serialization.get("payload")
        if payload and members[payload].type_name in ("string", "blob"):
            return None  # an opaque document (a bucket policy): its reader judges it
        protocol = str(model.metadata.get("protocol"))
        if protocol in _JSON:
            return self._json_fault(model, body, members)
        if protocol in _XML:
            return self._xml_fault(model, body, members, protocol)
        return None

    def _json_fault(self, model: OperationModel, body: bytes, members: dict[str, Shape]) -> str | None:
        try:
            document = json.loads(body)
        except ValueError as exc:
            return f"a body that is not JSON (truncated?): {exc}"
        if not isinstance(document, dict):
            return f"a JSON {type(document).__name__}, not the object {model.name} documents"
        return self._missing(model, set(document), members)

    def _xml_fault(
        self, model: OperationModel, body: bytes, members: dict[str, Shape], protocol: str
    ) -> str | None:
        try:
            root = ElementTree.fromstring(body)
        except ElementTree.ParseError as exc:
            return f"a body that is not well-formed XML (truncated?): {exc}"
        container: ElementTree.Element | None = root
        if protocol in ("query", "ec2") and _local(root.tag) != f"{model.name}Response":
            return f"a <{_local(root.tag)}> document, not <{model.name}Response>"
        output = model.output_shape
        assert output is not None
        wrapper = output.serialization.get("resultWrapper") if protocol == "query" else None
        if wrapper:
            container = next((c for c in root if _local(c.tag) == wrapper), None)
            if container is None:
                return f"no <{wrapper}> element"
        elif protocol == "rest-xml" and output.serialization.get("payload"):
            payload = str(output.serialization["payload"])
            shape = members[payload]
            names = {payload, shape.name, _wire_name(payload, shape)}
            found = _local(root.tag)
            return None if found in names else f"a <{found}> document, not <{shape.name}>"
        assert container is not None
        return self._missing(model, {_local(c.tag) for c in container}, members)

    def _missing(self, model: OperationModel, present: set[str], members: dict[str, Shape]) -> str | None:
        absent = [
            _wire_name(n, members[n])
            for n in self.result_members(model)
            if _wire_name(n, members[n]) not in present
        ]
        return f"no {', '.join(absent)} in the answer, the result {model.name} documents" if absent else None


def _judged(status: int, model: OperationModel, body: bytes) -> bool:
    """A 2xx answer; or, in S3, a 500 whose body is not XML: botocore's own S3 handler, which runs first,
    makes that of a 200 with a truncated body (a real S3 error is an <Error> document)."""
    if 200 <= status < 300:
        return True
    if status != 500 or model.metadata.get("protocol") != "rest-xml" or not body.strip():
        return False
    try:
        ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return True
    return False


def register(client: Any) -> None:
    """Check every answer `client` gets; a hollow one is retried as a 500, then fails as HollowResponse."""
    check = AnswerCheck(client)

    def before_parse(
        operation_model: OperationModel,
        response_dict: dict[str, Any],
        customized_response_dict: dict[str, Any],
        **_: Any,
    ) -> None:
        raw = response_dict.get("body")
        body = raw if isinstance(raw, bytes) else b""
        status = int(response_dict.get("status_code", 0))
        if not _judged(status, operation_model, body):
            return
        fault = check.fault(operation_model, body, status)
        if fault is not None:
            # Nothing in the body can be trusted, and botocore's error parsers need none.
            response_dict["status_code"], response_dict["body"] = 500, b""
            message = f"{operation_model.name} answered {fault}"
            customized_response_dict["Error"] = {"Code": HOLLOW, "Message": message}

    def needs_retry(response: tuple[Any, dict[str, Any]] | None, **_: Any) -> None:
        """Before the retry handler decides: the HTTP status is the one the answer was judged to have."""
        if response is None:
            return
        http, parsed = response
        if parsed.get("Error", {}).get("Code") == HOLLOW:
            http.status_code = 500

    service = client.meta.service_model.service_id.hyphenize()
    client.meta.events.register("before-parse", before_parse)
    client.meta.events.register_first(f"needs-retry.{service}.*", needs_retry)
