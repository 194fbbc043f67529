#!/usr/bin/env python3
"""Checks a Factur-X PDF with the PyPI `factur-x` package: extracts the embedded XML, validates
it against the official Factur-X EN 16931 XSD, and prints it (used by the integration tests)."""
import sys

from facturx import get_facturx_xml_from_pdf, xml_check_xsd


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
    sys.stdout.buffer.write(xml)
    return 0


if __name__ == "__main__":
    sys.exit(main())
