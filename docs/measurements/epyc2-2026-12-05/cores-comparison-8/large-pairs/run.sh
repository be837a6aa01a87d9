#!/usr/bin/env bash
# largeab.sh OUT PAIRS: 784-1024-1024-10 at batch 1024, 1 epoch, 2 threads, this checkout and BASELINE alternating (order swapped each pair)
out=$1; pairs=$2; mkdir -p $out
exec 9>>/tmp/bp4j-cpu.lock; flock 9
printf 'pair\tcode\tsamples_per_s\n' > $out/rates.tsv
for i in $(seq $pairs); do
  if (( i % 2 )); then order="new base"; else order="base new"; fi
  for c in $order; do
    root=/work/main; [[ $c == base ]] && root=/tmp/base-spin
    $root/bp4j train --backend cpu --threads 2 --data fashion-mnist --layers 784,1024,1024,10 --activation sigmoid --loss softmax-ce --optimizer momentum --lr 0.1 --batch 1024 --epochs 1 > $out/pair-$i-$c.txt 2>&1
    printf '%s\t%s\t%s\n' $i $c $(tail -1 $out/pair-$i-$c.txt | grep -oE '\([0-9,]+ samples/s' | tr -d '(,' | awk '{print $1}') >> $out/rates.tsv
  done
done
python3 - $out/rates.tsv <<'PY'
import csv,sys,statistics as st
rows=list(csv.DictReader(open(sys.argv[1]),delimiter='\t'))
by={}
for r in rows: by.setdefault(r['pair'],{})[r['code']]=int(r['samples_per_s'])
ratios=sorted(v['new']/v['base'] for v in by.values())
print('new/base median %.3f' % st.median(ratios), [round(x,3) for x in ratios])
PY
