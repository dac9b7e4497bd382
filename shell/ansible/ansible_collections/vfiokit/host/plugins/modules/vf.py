#!/usr/bin/python
# SR-IOV VFs of a PF through vfiokit.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: vf
short_description: SR-IOV VFs on a PF (count), through vfiokit vf create / vf remove
description:
  - C(state=present) makes the PF have C(count) VFs (C(vfiokit vf create); a PF with that many is unchanged),
    C(state=absent) removes its VFs (C(vfiokit vf remove)). Check mode is C(--dry-run). MAC, VLAN and trust of a
    VF are set where the guest is defined (vfiokit domain generate --vf) or with C(vfiokit vf set).
options:
  executable: {description: the vfiokit launcher, type: str, default: vfiokit}
  host: {description: "local (default) or demo (check mode only)", type: str}
  root: {description: a host tree (check mode only), type: path}
  connect: {description: not used (VFs are made on the host itself), type: str}
  pf: {description: PF address or netdev, type: str, required: true}
  count: {description: number of VFs (state=present), type: int}
  state: {description: present or absent, type: str, choices: [present, absent], default: present}
  autoprobe: {description: let host drivers take the new VFs, type: bool, default: false}
  force: {description: "change the count even while VFs are in use", type: bool, default: false}
'''

EXAMPLES = r'''
- vfiokit.host.vf:
    pf: ens1f0np0
    count: 8
'''

RETURN = r'''
plan: {description: "vfiokit's plan", returned: always, type: dict}
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.vfiokit.host.plugins.module_utils.vfiokit import TARGET_ARGS, Vfiokit


def main():
    spec = dict(TARGET_ARGS, pf=dict(type='str', required=True), count=dict(type='int'),
                state=dict(type='str', choices=['present', 'absent'], default='present'),
                autoprobe=dict(type='bool', default=False), force=dict(type='bool', default=False))
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, required_if=[('state', 'present', ['count'])])
    p = module.params
    v = Vfiokit(module)
    if p['state'] == 'present':
        words = ['vf', 'create', '--pf', p['pf'], '--count', str(p['count'])] + v.target(connect=False)
        words += ['--autoprobe'] if p['autoprobe'] else []
    else:
        words = ['vf', 'remove', '--pf', p['pf']] + v.target(connect=False)
    words += ['--force'] if p['force'] else []
    module.exit_json(**v.change(words))


if __name__ == '__main__':
    main()
