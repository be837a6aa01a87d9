#!/usr/bin/env bash
# spinexp2.sh OUT ROUNDS: spin variants; per round: the issue-3 command (10 epochs) on 1 thread once,
# then per variant on 2 threads alone (10 epochs) and as two concurrent 2-thread runs (3 epochs)
out=$1; rounds=$2
mkdir -p $out
cd /work/wt-spin && source scripts/java-home.sh
declare -A opts=([base]="" [yield]="-Ddebug.pauseNanos=0" [mixed5]="-Ddebug.pauseNanos=5000" [mixed20]="-Ddebug.pauseNanos=20000")
run() { # name variant threads epochs
  BP4J_JAVA_OPTS="${opts[$2]} -Dbp4j.progress=false" ./bp4j train --backend cpu --threads $3 --data fashion-mnist --layers 784,256,256,10 --activation sigmoid --loss softmax-ce --optimizer momentum --lr 0.1 --batch 128 --epochs $4 > $out/$1.txt 2>&1
}
rate() { grep -oE '\([0-9,]+ samples/s' $1 | tr -d '(,' | awk '{print $1}'; }
last() { grep -E '^epoch' $1 | tail -1 | grep -oE '[0-9,]+ samples/s' | tr -d ',' | awk '{print $1}'; }
exec 9>>/tmp/bp4j-cpu.lock; flock 9
printf 'round\tvariant\tone_thread_whole\tone_thread_last\talone_whole\talone_last\tpair_a\tpair_b\tpair_sum\n' > $out/rates.tsv
for r in $(seq $rounds); do
  run r$r-1t base 1 10
  vs=(base mixed5 mixed20); for k in 0 1 2; do v=${vs[$(( (k + r) % 3 ))]};
    run r$r-$v-alone $v 2 10
    run r$r-$v-pa $v 2 3 & run r$r-$v-pb $v 2 3 & wait
    a=$(rate $out/r$r-$v-pa.txt); b=$(rate $out/r$r-$v-pb.txt)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' $r $v $(rate $out/r$r-1t.txt) $(last $out/r$r-1t.txt) $(rate $out/r$r-$v-alone.txt) $(last $out/r$r-$v-alone.txt) $a $b $((a+b)) | tee -a $out/rates.tsv
  done
done
