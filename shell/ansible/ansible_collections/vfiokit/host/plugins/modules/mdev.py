#!/usr/bin/python
# Mediated devices (vGPU profiles on an mdev parent) through vfiokit.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: mdev
short_description: mediated devices of a type on a parent, through vfiokit mdev create / mdev remove
description:
  - C(state=present) with C(uuid) makes that mdev (unchanged when it exists with that type and parent); without
    C(uuid), makes the parent have at least C(count) mdevs of the type. C(state=absent) removes the mdev C(uuid), or
    without it every mdev of the type on the parent (vfiokit refuses one a domain uses unless C(force)).
    Check mode is C(--dry-run).
options:
  executable: {description: the vfiokit launcher, type: str, default: vfiokit}
  host: {description: "local (default) or demo (check mode only)", type: str}
  root: {description: a host tree (check mode only), type: path}
  connect: {description: not used (mdevs are made on the host itself), type: str}
  parent: {description: the parent device (PCI address), type: str}
  type: {description: "the mdev type (id such as nvidia-222, or its name such as GRID T4-1B)", type: str}
  uuid: {description: the mdev's UUID, type: str}
  count: {description: how many of the type (state=present without uuid), type: int, default: 1}
  persist: {description: define it in mdevctl too (kept across reboots), type: bool, default: false}
  force: {description: remove even an mdev a domain uses, type: bool, default: false}
  state: {description: present or absent, type: str, choices: [present, absent], default: present}
'''

EXAMPLES = r'''
- vfiokit.host.mdev:
    parent: "0000:a1:00.0"
    type: nvidia-223
    uuid: 4b20d080-1b54-4048-85b3-a6a62d165c01
'''

RETURN = r'''
plan: {description: "vfiokit's plan", returned: when a change was planned, type: dict}
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.vfiokit.host.plugins.module_utils.vfiokit import TARGET_ARGS, Vfiokit


def main():
    spec = dict(TARGET_ARGS, parent=dict(type='str'), type=dict(type='str'), uuid=dict(type='str'),
                count=dict(type='int', default=1), persist=dict(type='bool', default=False), force=dict(type='bool', default=False),
                state=dict(type='str', choices=['present', 'absent'], default='present'))
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True,
                           required_if=[('state', 'present', ['parent', 'type'])])
    p = module.params
    v = Vfiokit(module)
    target = v.target(connect=False)
    _, listed = v.run(['mdev', 'list'] + target)
    _, types = v.run(['mdev', 'types'] + target)
    names = {}
    for parent in (types or {}).get('parents', []):
        for t in parent.get('types', []):
            names[t.get('id')] = t.get('name')

    def of_type(m):
        return p['type'] is None or m.get('type') == p['type'] or names.get(m.get('type')) == p['type']

    mdevs = [m for m in listed.get('mdevs', []) if (p['parent'] is None or m.get('parent') == p['parent'])]
    if p['state'] == 'present':
        if p['uuid']:
            same = [m for m in listed.get('mdevs', []) if m.get('uuid') == p['uuid'].lower()]
            if same:
                if not (same[0].get('parent') == p['parent'] and of_type(same[0])):
                    module.fail_json(msg='mdev %s exists as %s on %s, not %s on %s'
                                     % (p['uuid'], same[0].get('type'), same[0].get('parent'), p['type'], p['parent']))
                module.exit_json(changed=False, mdev=same[0])
            words = ['mdev', 'create', '--parent', p['parent'], '--type', p['type'], '--uuid', p['uuid']]
        else:
            missing = p['count'] - len([m for m in mdevs if of_type(m)])
            if missing <= 0:
                module.exit_json(changed=False, mdevs=[m for m in mdevs if of_type(m)])
            words = ['mdev', 'create', '--parent', p['parent'], '--type', p['type'], '--count', str(missing)]
        words += ['--persist'] if p['persist'] else []
    else:
        gone = [m['uuid'] for m in listed.get('mdevs', []) if m.get('uuid') == (p['uuid'] or '').lower()] if p['uuid'] \
            else [m['uuid'] for m in mdevs if of_type(m)]
        if not gone:
            module.exit_json(changed=False)
        words = ['mdev', 'remove', '--uuid', ','.join(gone)] + (['--force'] if p['force'] else [])
    module.exit_json(**v.change(words + target))


if __name__ == '__main__':
    main()
