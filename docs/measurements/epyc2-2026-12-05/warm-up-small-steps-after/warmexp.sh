#!/bin/bash
# usage: warmexp.sh OUT PAIRS THREADS VALUES...
out=$1; pairs=$2; t=$3; shift 3
A="train --backend cpu --threads $t --data fashion-mnist --layers 784,256,256,10 --activation sigmoid --loss softmax-ce --optimizer momentum --lr 0.1 --batch 128 --epochs 3"
for i in $(seq $pairs); do for a in "$@"; do
  o=$(flock /tmp/bp4j-cpu.lock env BP4J_JAVA_OPTS=-Ddebug.after=$a /work/wt-warm2/bp4j $A 2>&1)
  w=$(echo "$o" | grep -oE "warm-up [0-9]+ ms" | grep -oE "[0-9]+")
  rates=$(echo "$o" | grep "^epoch" | grep -oE "[0-9,]+ samples/s" | grep -oE "^[0-9,]+" | tr -d , | tr '\n' ' ')
  echo "$i $a $t $w $rates" >> $out
done; done
