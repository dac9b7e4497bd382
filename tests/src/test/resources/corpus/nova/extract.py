#!/usr/bin/env python3
"""Writes the libvirt XML documents of OpenStack Nova's unit tests as files: every string constant of
nova/tests/**/*.py that is a whole, well-formed <device> or <capabilities> document and no
Python template (%(name)s, %s). Run on the unpacked python3-nova package (see SOURCE.md):
    python3 extract.py /path/to/usr/lib/python3/dist-packages/nova/tests .
Each file is named for the module and line it comes from, and the first 12 hex digits of its SHA-256."""
import ast, hashlib, os, re, sys, xml.dom.minidom

root, out = sys.argv[1], sys.argv[2]
seen = set()
for d, _, files in sorted(os.walk(root)):
    for f in sorted(files):
        if not f.endswith('.py'):
            continue
        p = os.path.join(d, f)
        for n in ast.walk(ast.parse(open(p, encoding='utf-8').read())):
            if not (isinstance(n, ast.Constant) and isinstance(n.value, str)):
                continue
            s = n.value.strip()
            m = re.match(r'<(device|capabilities)[ >]', s)
            if not m or '%(' in s or '%s' in s:
                continue
            try:
                xml.dom.minidom.parseString(s)
            except Exception:
                continue
            h = hashlib.sha256(s.encode()).hexdigest()[:12]
            if h in seen:
                continue
            seen.add(h)
            name = os.path.relpath(p, root)[:-3].replace('/', '_') + '_L%d_%s.xml' % (n.lineno, h)
            os.makedirs(os.path.join(out, m.group(1)), exist_ok=True)
            open(os.path.join(out, m.group(1), name), 'w', encoding='utf-8').write(s + '\n')
