a=(--data fashion-mnist --layers 784,256,256,10 --activation sigmoid --loss softmax-ce --optimizer momentum --lr 0.1 --batch 128 --epochs 4)
for r in 1 2 3 4 5 6; do  # rounds 7-12: the same with base first
  for which in new base; do
    dir=/work/main; [ $which = base ] && dir=/tmp/base-bf6
    out=$(cd $dir && ./bp4j train "${a[@]}" --threads 2 2>&1)
    whole=$(echo "$out" | tail -1 | grep -oE '\(([0-9,]+) samples/s' | tr -dc 0-9)
    last=$(echo "$out" | grep -E '^epoch' | tail -1 | grep -oE '[0-9,]+ samples/s' | tr -dc 0-9)
    echo "$r $which whole $whole last $last"
  done
done
