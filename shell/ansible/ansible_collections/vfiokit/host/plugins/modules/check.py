#!/usr/bin/python
# vfiokit pre-flight check as Ansible facts.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: check
short_description: vfiokit's pre-flight passthrough check, as facts
description:
  - Runs C(vfiokit check --json) on the managed host (or on a host tree, the demo host, a libvirt URI) and sets
    C(ansible_facts.vfiokit_check) to the report. Never changes anything.
options:
  executable: {description: the vfiokit launcher, type: str, default: vfiokit}
  host: {description: "local (default) or demo", type: str}
  root: {description: a sysfs/procfs tree to read instead, type: path}
  connect: {description: a libvirt URI to read the host through, type: str}
  device: {description: PCI addresses to check (default every GPU), type: list, elements: str}
  domain: {description: check a defined domain instead (memlock, migration), type: str}
  fail_on:
    description: fail the task on vfiokit FAIL findings (C(fail)), on WARN too (C(warn)), or never (C(never))
    type: str
    choices: [fail, warn, never]
    default: never
'''

EXAMPLES = r'''
- vfiokit.host.check:
    device: ["0000:41:00.0"]
    fail_on: fail
- ansible.builtin.debug:
    var: ansible_facts.vfiokit_check.summary
'''

RETURN = r'''
ansible_facts: {description: "vfiokit_check: the report (host, targets, summary, findings)", returned: always, type: dict}
exit_code: {description: "vfiokit's exit code: 0 pass, 1 warnings, 2 failures", returned: always, type: int}
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.vfiokit.host.plugins.module_utils.vfiokit import TARGET_ARGS, Vfiokit


def main():
    spec = dict(TARGET_ARGS, device=dict(type='list', elements='str'), domain=dict(type='str'),
                fail_on=dict(type='str', choices=['fail', 'warn', 'never'], default='never'))
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True)
    v = Vfiokit(module)
    words = ['check'] + v.target()
    if module.params['device']:
        words += ['--device', ','.join(module.params['device'])]
    if module.params['domain']:
        words += ['--domain', module.params['domain']]
    rc, report = v.run(words, ok_codes=(0, 1, 2))
    limit = {'fail': 2, 'warn': 1, 'never': 99}[module.params['fail_on']]
    result = dict(changed=False, exit_code=rc, ansible_facts=dict(vfiokit_check=report))
    if rc >= limit:
        failing = [f for f in report.get('findings', []) if f.get('severity') in (('FAIL',) if limit == 2 else ('FAIL', 'WARN'))]
        module.fail_json(msg='vfiokit check: ' + '; '.join('%s %s: %s' % (f['id'], f['subject'], f['message']) for f in failing[:5]),
                         **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
