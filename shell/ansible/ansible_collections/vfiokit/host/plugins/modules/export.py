#!/usr/bin/python
# The configuration KubeVirt or Nova wants for this host's passthrough devices, kept in a file.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: export
short_description: KubeVirt permittedHostDevices or Nova [pci]/[devices] sections for a host, written to a file
description:
  - Runs C(vfiokit export kubevirt) or C(vfiokit export nova) and keeps the result in C(dest); C(changed) when the
    file's content changes, C(--diff) shows old and new. Check mode writes nothing.
options:
  executable: {description: the vfiokit launcher, type: str, default: vfiokit}
  host: {description: "local (default) or demo", type: str}
  root: {description: a host tree to read instead, type: path}
  connect: {description: a libvirt URI to read the host through, type: str}
  engine: {description: which configuration, type: str, choices: [kubevirt, nova], required: true}
  dest: {description: the file to keep it in, type: path, required: true}
  physnet: {description: "nova: the Neutron physical network of SR-IOV NIC VFs", type: str}
'''

EXAMPLES = r'''
- vfiokit.host.export:
    engine: nova
    physnet: physnet1
    dest: /etc/nova/nova.conf.d/50-vfiokit-pci.conf
'''

RETURN = r'''
content: {description: the configuration, returned: always, type: str}
'''

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.vfiokit.host.plugins.module_utils.vfiokit import TARGET_ARGS, Vfiokit


def main():
    spec = dict(TARGET_ARGS, engine=dict(type='str', choices=['kubevirt', 'nova'], required=True),
                dest=dict(type='path', required=True), physnet=dict(type='str'))
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True)
    p = module.params
    v = Vfiokit(module)
    cmd = [p['executable'], 'export', p['engine']] + v.target()
    if p['physnet']:
        if p['engine'] != 'nova':
            module.fail_json(msg='physnet is for engine nova')
        cmd += ['--physnet', p['physnet']]
    rc, out, err = module.run_command(cmd, environ_update={'NO_COLOR': '1'})
    if rc != 0:
        v.fail(rc, err, out, cmd)
    old = ''
    if os.path.exists(p['dest']):
        with open(p['dest']) as f:
            old = f.read()
    changed = old != out
    if changed and not module.check_mode:
        tmp = p['dest'] + '.vfiokit-tmp'
        with open(tmp, 'w') as f:
            f.write(out)
        module.atomic_move(tmp, p['dest'])
    module.exit_json(changed=changed, content=out, dest=p['dest'],
                     diff=dict(before=old, after=out, before_header=p['dest'], after_header=p['dest']))


if __name__ == '__main__':
    main()
