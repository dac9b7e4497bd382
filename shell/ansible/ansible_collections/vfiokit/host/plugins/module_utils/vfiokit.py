# Runs vfiokit's one-shot commands for the modules of this collection and maps them to Ansible's contract.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

# options every module takes: which vfiokit, and which host it reads
TARGET_ARGS = dict(
    executable=dict(type='str', default='vfiokit'),
    host=dict(type='str'),
    root=dict(type='path'),
    connect=dict(type='str'),
)

# vfiokit's exit codes (README "Exit codes")
USAGE, DATA, UNAVAILABLE = 64, 65, 69


class Vfiokit(object):
    def __init__(self, module):
        self.module = module

    def target(self, connect=True):
        p = self.module.params
        args = []
        if p.get('host'):
            args += ['--host', p['host']]
        if p.get('root'):
            args += ['--root', p['root']]
        if connect and p.get('connect'):
            args += ['--connect', p['connect']]
        return args

    def run(self, words, ok_codes=(0,)):
        """Runs vfiokit WORDS --json; returns (exit code, parsed JSON or None). Fails the task with vfiokit's line."""
        cmd = [self.module.params['executable']] + list(words) + ['--json']
        rc, out, err = self.module.run_command(cmd, environ_update={'NO_COLOR': '1'})
        if rc not in ok_codes:
            self.fail(rc, err, out, cmd)
        try:
            return rc, json.loads(out) if out.strip() else None
        except ValueError:
            self.module.fail_json(msg='vfiokit printed no JSON', cmd=cmd, rc=rc, stdout=out, stderr=err)

    def fail(self, rc, err, out, cmd):
        # vfiokit says what went wrong in one line on stderr, prefixed "vfiokit: "
        lines = [l for l in (err or '').splitlines() if l.strip()]
        msg = lines[-1] if lines else 'vfiokit exited %d' % rc
        if msg.startswith('vfiokit: '):
            msg = msg[len('vfiokit: '):]
        self.module.fail_json(msg=msg, rc=rc, cmd=cmd, stdout=out, stderr=err)

    def change(self, words, already=None):
        """A host change through vfiokit's planner, which decides 'changed' (a plan that writes nothing is unchanged):
        in check mode its --dry-run plan, otherwise the change itself (one vfiokit run: it plans, then applies).
        already: a refusal's words that mean the host is as asked already ("nothing to unbind"): unchanged."""
        p = self.module.params
        # the demo host and host trees take no writes: plan first there, so a plan with nothing to do is unchanged
        # (and one with writes fails with vfiokit's refusal)
        dry = self.module.check_mode or p.get('host') == 'demo' or bool(p.get('root'))
        cmd = [p['executable']] + list(words) + (['--dry-run'] if dry else []) + ['--json']
        rc, out, err = self.module.run_command(cmd, environ_update={'NO_COLOR': '1'})
        if rc == DATA and already is not None and already in (err or ''):
            return dict(changed=False, notes=[l[len('vfiokit: '):] if l.startswith('vfiokit: ') else l
                                              for l in err.splitlines() if l.strip()])
        if rc != 0:
            self.fail(rc, err, out, cmd)
        try:
            plan = json.loads(out)
        except ValueError:
            self.module.fail_json(msg='vfiokit printed no JSON', cmd=cmd, rc=rc, stdout=out, stderr=err)
        result = dict(changed=bool(plan.get('changes')), plan=plan, diff=plan_diff(plan), notes=plan.get('notes', []))
        if dry and result['changed'] and not self.module.check_mode:
            _, plan = self.run(list(words))
            result['plan'] = plan
        if not self.module.check_mode:
            result['journal'] = plan.get('journal')
            result['log'] = plan.get('log', [])
        return result


def plan_diff(plan):
    """Ansible's diff for a vfiokit plan: before, the host as it is; after, every step the plan takes."""
    steps = plan.get('steps', []) if plan else []
    lines = []
    for s in steps:
        if s.get('file') == 'check':
            continue
        if s.get('file') == 'exec':
            lines.append('run %s  # %s' % (s.get('value'), s.get('why')))
        else:
            lines.append('%s = %s  # %s' % (s.get('file'), s.get('value'), s.get('why')))
    return dict(before='', after=''.join(l + '\n' for l in lines),
                before_header='host now', after_header=plan.get('summary', '') if plan else '')
