import { Command } from 'commander';
import { shippedHelper } from '../inject/assets.js';
import { loadChart } from '../inject/load.js';
import { planInject } from '../inject/plan.js';
import { writePlan } from '../inject/write.js';
import type { Io } from './io.js';

interface InjectCliOptions {
  into?: string;
  library?: boolean;
  rewrite?: boolean;
  dryRun?: boolean;
  check?: boolean;
  force?: boolean;
  debug?: boolean;
}

/** `imageguard inject CHART`: add the guard helper so helm itself refuses mutable tags; optionally rewrite image lines. */
export function injectCommand(io: Io, done: (code: number) => void): Command {
  const command = new Command('inject')
    .summary('add the fail guard helper to a chart (and rewrite image lines to call it)')
    .description(
      'Add the guard helper (templates/_imageguard.tpl) to CHART, an unpacked chart directory, so that helm ' +
        'template, install and upgrade fail on latest, untagged and channel tags in the images that call it.\n' +
        'Idempotent: a second run changes nothing; an unchanged older helper is upgraded; an edited one is left alone.',
    )
    .argument('<chart>', 'chart directory')
    .option('--into <file>', 'put the helper in this partial below templates/ (e.g. _helpers.tpl) as a delimited block')
    .option('--library', 'vendor the helper as the library chart charts/imageguard-lib and add it to Chart.yaml dependencies')
    .option('--rewrite', 'rewrite the image lines inject recognises to call the helper; report the others with file:line')
    .option('--dry-run', 'print the diff and messages, write nothing')
    .option('--check', 'like --dry-run, and exit 1 when inject would change the chart (for CI)')
    .option('--force', 'replace a helper that was edited by hand, or is newer than this imageguard')
    .option('--debug', 'show stack traces for errors (also HELM_DEBUG=true)');
  command.addHelpText(
    'after',
    '\nstdout: a unified diff of changed files (apply with patch -p0). stderr: what inject did, and each image\n' +
      'line it did not recognise as FILE:LINE. Values users can set: global.imageguard.allowMutable=true (development\n' +
      'clusters), global.imageguard.rejectFloating=true (also refuse 1, 1.27). See docs/inject.md.\n' +
      'Exit codes: 0 done, 1 --check found pending changes, 2 usage error, unreadable or edited chart files.\n' +
      'Examples:\n  imageguard inject ./mychart --rewrite --dry-run\n  imageguard inject ./mychart --library\n' +
      '  helm imageguard inject ./mychart --into _helpers.tpl --rewrite',
  );
  command.action((chart: string, options: InjectCliOptions) => {
    const { root, snapshot } = loadChart(chart);
    const plan = planInject(snapshot, shippedHelper(), {
      into: options.into,
      library: options.library === true,
      rewrite: options.rewrite === true,
      force: options.force === true,
    });
    const write = !options.dryRun && !options.check;
    for (const file of plan.files) if (file.diff) io.stdout(file.diff);
    if (write) writePlan(root, snapshot.shown, plan);
    const changed = plan.files.length;
    const lines = [...plan.messages];
    if (options.rewrite) lines.push(`${plan.rewritten} image expression(s) rewritten, ${plan.unrecognised} image line(s) not recognised`);
    if (changed === 0) lines.push(`${snapshot.shown} is up to date: nothing to change`);
    else if (!write) lines.push(`dry run: ${changed} file(s) would change; nothing written`);
    else lines.push(`wrote ${changed} file(s)`);
    io.stderr(`${lines.join('\n')}\n`);
    done(options.check && changed > 0 ? 1 : 0);
  });
  return command;
}
