import QuantBench
print("quantbench")
