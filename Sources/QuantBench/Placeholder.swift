import QuantCore
