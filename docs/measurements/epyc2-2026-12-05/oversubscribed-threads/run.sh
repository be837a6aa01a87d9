#!/usr/bin/env bash
# over8.sh OUT PAIRS THREADS: the issue-3 model (3 epochs) on THREADS threads (more than the cores), this code and 138cf1f alternating
out=$1; pairs=$2; t=$3; mkdir -p $out
exec 9>>/tmp/bp4j-cpu.lock; flock 9
printf 'pair\tcode\tthreads\tsamples_per_s\n' > $out/rates.tsv
for i in $(seq $pairs); do
  if (( i % 2 )); then order="new base"; else order="base new"; fi
  for c in $order; do
    root=/work/main; [[ $c == base ]] && root=/tmp/base-spin
    $root/bp4j train --backend cpu --threads $t --data fashion-mnist --layers 784,256,256,10 --activation sigmoid --loss softmax-ce --optimizer momentum --lr 0.1 --batch 128 --epochs 3 > $out/pair-$i-$c.txt 2>&1
    printf '%s\t%s\t%s\t%s\n' $i $c $t $(tail -1 $out/pair-$i-$c.txt | grep -oE '\([0-9,]+ samples/s' | tr -d '(,' | awk '{print $1}') >> $out/rates.tsv
  done
done
python3 - $out/rates.tsv <<'PY'
import csv,sys,statistics as st
rows=list(csv.DictReader(open(sys.argv[1]),delimiter='\t'))
by={}
for r in rows: by.setdefault(r['pair'],{})[r['code']]=int(r['samples_per_s'])
ratios=sorted(v['new']/v['base'] for v in by.values())
print('new median %d, base median %d, new/base median %.2f' % (st.median(v['new'] for v in by.values()), st.median(v['base'] for v in by.values()), st.median(ratios)), [round(x,2) for x in ratios])
PY
