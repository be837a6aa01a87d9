#!/usr/bin/env python3
"""The JIT compile time that started within each epoch of a bp4j run.

    compile_per_epoch.py tsv JFR.json > COMPILATIONS.tsv
        one line per compilation from `jfr print --json --events jdk.Compilation`: wall-clock
        start in seconds, duration in ms, tier, OSR or not, method
    compile_per_epoch.py epochs COMPILATIONS.tsv[.gz] OUTPUT.txt [TOP]
        OUTPUT is the run's output with every line prefixed by the wall clock in seconds. An
        epoch's window ends at its line and starts at the line before, or, for epoch 1, 60000
        (Fashion-MNIST's training images) / its samples/s before. TOP: the longest compiles listed.
"""
import datetime
import gzip
import json
import re
import sys


def seconds(iso):
    return datetime.datetime.fromisoformat(iso.replace('Z', '+00:00')).timestamp()


def millis(duration):
    m = re.match(r'PT(?:(\d+)M)?([\d.]+)S', duration)
    return (int(m.group(1) or 0) * 60 + float(m.group(2))) * 1000


def tsv(jfr_json):
    for event in json.load(open(jfr_json))['recording']['events']:
        v = event['values']
        method = v['method']['type']['name'].split('/')[-1] + '::' + v['method']['name']
        print(f"{seconds(v['startTime']):.6f}\t{millis(v['duration']):.3f}\t{v['compileLevel']}\t"
              f"{'osr' if v['isOsr'] else '-'}\t{method}")


def epochs(compilations, output, top):
    opener = gzip.open if compilations.endswith('.gz') else open
    with opener(compilations, 'rt') as f:
        compiles = [(float(s), float(ms), int(tier), osr == 'osr', method)
                    for s, ms, tier, osr, method in (line.rstrip('\n').split('\t') for line in f)]
    ends, rates = [], []
    for line in open(output):
        stamp, _, text = line.partition(' ')
        m = re.match(r'epoch +\d+/\d+ .* ([\d,]+) samples/s', text)
        if m:
            ends.append(float(stamp))
            rates.append(int(m.group(1).replace(',', '')))
    bounds = [ends[0] - 60000 / rates[0]] + ends
    for k, rate in enumerate(rates):
        inside = [c for c in compiles if bounds[k] <= c[0] < bounds[k + 1]]
        c2 = [c for c in inside if c[2] == 4]
        c1 = sum(c[1] for c in inside if c[2] < 4)
        print(f"epoch {k + 1}: {bounds[k + 1] - bounds[k]:.3f} s wall, {rate:,} samples/s; compile started in it: "
              f"C2 {sum(c[1] for c in c2):.1f} ms ({len(c2)} methods), C1 {c1:.1f} ms")
        for c in sorted(inside, key=lambda c: -c[1])[:top]:
            print(f"    {c[1]:6.1f} ms  tier {c[2]}  {'OSR ' if c[3] else ''}{c[4]}")


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == 'tsv':
        tsv(sys.argv[2])
    elif len(sys.argv) in (4, 5) and sys.argv[1] == 'epochs':
        epochs(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) == 5 else 8)
    else:
        sys.exit(__doc__)
