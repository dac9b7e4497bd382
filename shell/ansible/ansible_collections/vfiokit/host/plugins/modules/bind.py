#!/usr/bin/python
# Devices bound to vfio-pci (or their VFIO variant driver) through vfiokit, or given back.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: bind
short_description: bind PCI devices to vfio-pci (whole IOMMU groups, verified, journaled) or give them back
description:
  - C(state=present) runs C(vfiokit bind), C(state=absent) C(vfiokit unbind). vfiokit's dry-run plan decides
    C(changed): a device on its VFIO driver with driver_override set already is unchanged, and so is one that is on
    no VFIO driver for C(state=absent). Check mode is
    C(--dry-run); C(--diff) shows every sysfs write of the plan. vfiokit's refusals (the host's own NIC or disk,
    a boot GPU, a process holding the GPU) fail the task with vfiokit's message.
options:
  executable: {description: the vfiokit launcher, type: str, default: vfiokit}
  host: {description: "local (default) or demo (check mode only)", type: str}
  root: {description: a host tree (check mode only), type: path}
  connect: {description: bind through that libvirt (virNodeDeviceDetachFlags), type: str}
  device: {description: PCI addresses, type: list, elements: str, required: true}
  state: {description: bound (present) or back on a host driver (absent), type: str, choices: [present, absent], default: present}
  group: {description: take the other members of the IOMMU group along, type: bool, default: false}
  driver: {description: "vfio-pci, or a VFIO variant driver (default: the one the kernel's modules.alias names)", type: str}
  persist: {description: bind at every boot too (driverctl-compatible), type: bool, default: false}
  force: {description: "bind even what vfiokit refuses (the boot GPU, a running domain's device)", type: bool, default: false}
  restore: {description: "with state=absent: give the device back to the driver it had before vfiokit bound it", type: bool, default: true}
'''

EXAMPLES = r'''
- vfiokit.host.bind:
    device: ["0000:41:00.0"]
    group: true
    persist: true
'''

RETURN = r'''
plan: {description: "vfiokit's plan (summary, changes, steps, notes)", returned: always, type: dict}
journal: {description: "the journal id (vfiokit undo --id ID)", returned: when changed and not in check mode, type: str}
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.vfiokit.host.plugins.module_utils.vfiokit import TARGET_ARGS, Vfiokit


def main():
    spec = dict(TARGET_ARGS, device=dict(type='list', elements='str', required=True),
                state=dict(type='str', choices=['present', 'absent'], default='present'),
                group=dict(type='bool', default=False), driver=dict(type='str'), persist=dict(type='bool', default=False),
                force=dict(type='bool', default=False), restore=dict(type='bool', default=True))
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True)
    p = module.params
    v = Vfiokit(module)
    if p['state'] == 'present':
        words = ['bind', '--device', ','.join(p['device'])] + v.target()
        words += ['--group'] if p['group'] else []
        words += ['--driver', p['driver']] if p['driver'] else []
        words += ['--persist'] if p['persist'] else []
        words += ['--force'] if p['force'] else []
    else:
        words = ['unbind', '--device', ','.join(p['device'])] + v.target()
        words += ['--restore'] if p['restore'] else []
    # unbinding a device that is on no VFIO driver: already as asked
    module.exit_json(**v.change(words, already=None if p['state'] == 'present' else 'nothing to unbind'))


if __name__ == '__main__':
    main()
