# The models the comparisons train, as `bp4j train` arguments less --backend, --threads and
# --epochs; sourced by each script, so that every one trains the same command.
#   issue3: issue 3's command (784-256-256-10 at batch 128), the one the cores figures are quoted for;
#   large:  784-1024-1024-10 at batch 1024.
issue3=(--data fashion-mnist --layers 784,256,256,10 --activation sigmoid --loss softmax-ce --optimizer momentum --lr 0.1 --batch 128)
large=(--data fashion-mnist --layers 784,1024,1024,10 --activation sigmoid --loss softmax-ce --optimizer momentum --lr 0.1 --batch 1024)
