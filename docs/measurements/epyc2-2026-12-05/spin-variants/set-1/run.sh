#!/usr/bin/env bash
# spinexp.sh OUT ROUNDS: variants of the worker pool's spin, alone on 2 threads and as two concurrent 2-thread runs
out=$1; rounds=$2
mkdir -p $out
cd /work/wt-spin && source scripts/java-home.sh
declare -A opts=([base]="" [yield]="-Ddebug.pauseNanos=0" [mixed]="-Ddebug.pauseNanos=5000" [short]="-Ddebug.spinNanos=10000")
run() { # name variant threads
  BP4J_JAVA_OPTS="${opts[$2]} -Dbp4j.progress=false" ./bp4j train --backend cpu --threads $3 --data fashion-mnist --layers 784,256,256,10 --activation sigmoid --loss softmax-ce --optimizer momentum --lr 0.1 --batch 128 --epochs 3 > $out/$1.txt 2>&1
}
rate() { grep -oE '\([0-9,]+ samples/s' $1 | tr -d '(,' | awk '{print $1}'; }
last() { grep -E '^epoch' $1 | tail -1 | grep -oE '[0-9,]+ samples/s' | tr -d ',' | awk '{print $1}'; }
exec 9>>/tmp/bp4j-cpu.lock; flock 9
printf 'round\tvariant\talone_whole\talone_last\tpair_a\tpair_b\tpair_sum\n' > $out/rates.tsv
for r in $(seq $rounds); do for v in base yield mixed short; do
  run r$r-$v-alone $v 2
  run r$r-$v-pa $v 2 & run r$r-$v-pb $v 2 & wait
  a=$(rate $out/r$r-$v-pa.txt); b=$(rate $out/r$r-$v-pb.txt)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' $r $v $(rate $out/r$r-$v-alone.txt) $(last $out/r$r-$v-alone.txt) $a $b $((a+b)) | tee -a $out/rates.tsv
done; done
