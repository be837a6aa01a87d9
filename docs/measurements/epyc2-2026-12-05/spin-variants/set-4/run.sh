#!/usr/bin/env bash
# spinexp4.sh OUT ROUNDS: alone on 2 threads, 5 epochs, rotated order; steal and idle ticks from /proc/stat around each run
out=$1; rounds=$2
mkdir -p $out
cd /work/wt-spin && source scripts/java-home.sh
declare -A opts=([base]="" [mixed5]="-Ddebug.pauseNanos=5000" [mixed20]="-Ddebug.pauseNanos=20000" [park20]="-Ddebug.spinNanos=20000")
vs=(base mixed5 mixed20 park20)
exec 9>>/tmp/bp4j-cpu.lock; flock 9
printf 'round\tvariant\twhole\tlast\tsteal_ticks\tidle_ticks\n' > $out/rates.tsv
for r in $(seq $rounds); do for k in 0 1 2 3; do v=${vs[$(( (k + r) % 4 ))]}
  s0=$(awk '/^cpu /{print $9, $5}' /proc/stat)
  BP4J_JAVA_OPTS="${opts[$v]} -Dbp4j.progress=false" ./bp4j train --backend cpu --threads 2 --data fashion-mnist --layers 784,256,256,10 --activation sigmoid --loss softmax-ce --optimizer momentum --lr 0.1 --batch 128 --epochs 5 > $out/r$r-$v.txt 2>&1
  s1=$(awk '/^cpu /{print $9, $5}' /proc/stat)
  w=$(grep -oE '\([0-9,]+ samples/s' $out/r$r-$v.txt | tr -d '(,' | awk '{print $1}')
  l=$(grep -E '^epoch' $out/r$r-$v.txt | tail -1 | grep -oE '[0-9,]+ samples/s' | tr -d ',' | awk '{print $1}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' $r $v $w $l $(echo $s0 $s1 | awk '{print $3-$1, $4-$2}') | tee -a $out/rates.tsv
done; done
