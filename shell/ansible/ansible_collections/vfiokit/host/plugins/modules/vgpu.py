#!/usr/bin/python
# NVIDIA vendor-specific vGPUs (vGPU 17+, VFs of the GPU) through vfiokit.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: vgpu
short_description: NVIDIA vGPU 17+ VFs of a type, through vfiokit vgpu create / vgpu remove
description:
  - C(state=present) with C(vf) makes that VF a vGPU of C(type) (unchanged when it is one already); with C(gpu)
    alone, makes the GPU have at least C(count) VFs of the type. C(state=absent) releases the VF C(vf) (type 0).
    Check mode is C(--dry-run).
options:
  executable: {description: the vfiokit launcher, type: str, default: vfiokit}
  host: {description: "local (default) or demo (check mode only)", type: str}
  root: {description: a host tree (check mode only), type: path}
  connect: {description: not used (vGPUs are made on the host itself), type: str}
  gpu: {description: the physical GPU (PCI address), type: str}
  vf: {description: the VF (PCI address), type: str}
  type: {description: "the vGPU type, by id (1177) or name (NVIDIA L40S-12Q)", type: str}
  count: {description: how many VFs of the type on the GPU (with gpu, no vf), type: int, default: 1}
  state: {description: present or absent, type: str, choices: [present, absent], default: present}
'''

EXAMPLES = r'''
- vfiokit.host.vgpu:
    gpu: "0000:e1:00.0"
    type: NVIDIA L40S-12Q
'''

RETURN = r'''
plan: {description: "vfiokit's plan", returned: when a change was planned, type: dict}
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.vfiokit.host.plugins.module_utils.vfiokit import TARGET_ARGS, Vfiokit


def main():
    spec = dict(TARGET_ARGS, gpu=dict(type='str'), vf=dict(type='str'), type=dict(type='str'),
                count=dict(type='int', default=1), state=dict(type='str', choices=['present', 'absent'], default='present'))
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, required_one_of=[('gpu', 'vf')],
                           required_if=[('state', 'present', ['type']), ('state', 'absent', ['vf'])])
    p = module.params
    v = Vfiokit(module)
    target = v.target(connect=False)
    _, listed = v.run(['vgpu', 'list'] + target)
    vfs = listed.get('vfs', [])

    def of_type(x):
        return x.get('type') != 0 and (str(x.get('type')) == p['type'] or x.get('typeName') == p['type'])

    if p['state'] == 'present':
        if p['vf']:
            now = [x for x in vfs if x.get('vf') == p['vf']]
            if now and of_type(now[0]):
                module.exit_json(changed=False, vgpu=now[0])
            words = ['vgpu', 'create', '--vf', p['vf'], '--type', p['type']]
        else:
            if len([x for x in vfs if x.get('gpu') == p['gpu'] and of_type(x)]) >= p['count']:
                module.exit_json(changed=False)
            # one at a time: vfiokit picks a free VF that can take the type
            words = ['vgpu', 'create', '--gpu', p['gpu'], '--type', p['type']]
    else:
        now = [x for x in vfs if x.get('vf') == p['vf']]
        if not now or now[0].get('type') == 0:
            module.exit_json(changed=False)
        words = ['vgpu', 'remove', '--vf', p['vf']]
    module.exit_json(**v.change(words + target))


if __name__ == '__main__':
    main()
