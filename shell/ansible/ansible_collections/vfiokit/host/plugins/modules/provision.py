#!/usr/bin/python
# Many VMs on many libvirt hosts from a vfiokit manifest.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: provision
short_description: VMs of a vfiokit manifest defined on their libvirt hosts (plan, apply, destroy)
description:
  - Runs C(vfiokit provision plan) first; C(changed) when any VM is to be created or redefined (a second run of the
    same manifest is unchanged). Check mode stops at the plan; C(--diff) shows its actions. C(state=absent) destroys
    the manifest's VMs that vfiokit provisioned (others are left alone). A host that is not reached fails the task
    with vfiokit's message for it; the VMs of the other hosts are still carried out.
  - Usually run once, on the controller (C(delegate_to: localhost), C(run_once)): the manifest names the hosts by
    their libvirt URIs (qemu+ssh://...).
options:
  executable: {description: the vfiokit launcher, type: str, default: vfiokit}
  manifest: {description: the manifest file (YAML), type: path, required: true}
  state: {description: present (apply) or absent (destroy), type: str, choices: [present, absent], default: present}
  timeout: {description: seconds to wait for each host, type: int, default: 30}
'''

EXAMPLES = r'''
- vfiokit.host.provision:
    manifest: /srv/vfiokit/fleet.yaml
  delegate_to: localhost
  run_once: true
'''

RETURN = r'''
vms: {description: "per VM: name, host, status (plan) or outcome (apply/destroy), message", returned: always, type: list}
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.vfiokit.host.plugins.module_utils.vfiokit import Vfiokit, UNAVAILABLE


def fail_on_failed(module, result):
    """The task fails with each failed VM's host and vfiokit's reason; the others were carried out."""
    failed = [x for x in result['vms'] if x.get('outcome') == 'failed']
    if failed:
        module.fail_json(msg='; '.join('%s on %s: %s' % (x['name'], x['host'], x['message']) for x in failed), **result)


def main():
    module = AnsibleModule(argument_spec=dict(executable=dict(type='str', default='vfiokit'), manifest=dict(type='path', required=True),
                                              state=dict(type='str', choices=['present', 'absent'], default='present'),
                                              timeout=dict(type='int', default=30)),
                           supports_check_mode=True)
    p = module.params
    v = Vfiokit(module)
    common = ['--file', p['manifest'], '--timeout', str(p['timeout'])]
    if p['state'] == 'absent':
        _, dry = v.run(['provision', 'destroy', '--dry-run'] + common, ok_codes=(0, 74))
        doomed = [x for x in dry['vms'] if x['outcome'] == 'removed']
        result = dict(changed=bool(doomed), vms=dry['vms'],
                      diff=dict(before=''.join('%s on %s\n' % (x['name'], x['host']) for x in doomed), after=''))
        if doomed and not module.check_mode:
            rc, done = v.run(['provision', 'destroy'] + common, ok_codes=(0, 74))
            result['vms'] = done['vms']
        fail_on_failed(module, result)
        module.exit_json(**result)
    rc, plan = v.run(['provision', 'plan'] + common, ok_codes=(0, UNAVAILABLE))
    todo = [x for x in plan['vms'] if x['status'] in ('CREATE', 'UPDATE')]
    result = dict(changed=bool(todo), vms=[dict(name=x['name'], host=x['host'], status=x['status'], actions=x['actions'])
                                           for x in plan['vms']],
                  notes=plan.get('notes', []),
                  diff=dict(before='', after=''.join('%s %s on %s: %s\n' % (x['status'], x['name'], x['host'], '; '.join(x['actions']))
                                                     for x in todo), after_header='vfiokit provision plan'))
    if todo and not module.check_mode:
        rc, done = v.run(['provision', 'apply'] + common, ok_codes=(0, 74))
        result['vms'] = done['vms']
        fail_on_failed(module, result)
    elif plan.get('notReached'):
        module.fail_json(msg='; '.join('host %s not reached: %s' % kv for kv in plan['notReached'].items()), **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
