# Synthetic analog-sensor signal for the firmware's default model: 1.65 V offset, a 5 s period wave with a
# slower 40 s envelope and a little noise, sampled every 100 ms (the firmware's default period).
import math, random
from datetime import datetime, timedelta
random.seed(7)
start = datetime(2024, 1, 1)
print("timestamp,volts")
for i in range(6000):
    t = i * 0.1
    v = 1.65 + (0.45 + 0.15 * math.sin(2 * math.pi * t / 40)) * math.sin(2 * math.pi * t / 5) + random.gauss(0, 0.02)
    print((start + timedelta(milliseconds=100 * i)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "," + format(v, ".4f"))
