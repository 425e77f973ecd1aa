#!/usr/bin/env python3
"""Marks libLibTorchSharp.so's need for GLIBCXX_3.4.32 as weak so it loads on Debian 12 (libstdc++ up to 3.4.30).

TorchSharp 0.107's native library was linked with GCC 13, which adds one reference to
std::ios_base_library_init() (version GLIBCXX_3.4.32) without any relocation: nothing calls it. Flagging that
version requirement VER_FLG_WEAK lets the dynamic linker accept the older libstdc++. Patches the copy you name
(the one in the benchmark's bin folder), never the NuGet cache.   Usage: TrainingPatchLibTorchSharp.py PATH/libLibTorchSharp.so
"""
import struct, sys

path = sys.argv[1]
data = bytearray(open(path, "rb").read())
assert data[:4] == b"\x7fELF" and data[4] == 2, "not a 64-bit ELF"
shoff, = struct.unpack_from("<Q", data, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
SHT_GNU_verneed = 0x6FFFFFFE
patched = 0
for sh in sections:
    if sh[1] != SHT_GNU_verneed:
        continue
    strtab = sections[sh[6]]
    def name(off):
        start = strtab[4] + off
        return bytes(data[start:data.index(0, start)]).decode()
    at = sh[4]
    while True:
        vn_version, vn_cnt, vn_file, vn_aux, vn_next = struct.unpack_from("<HHIII", data, at)
        aux = at + vn_aux
        for _ in range(vn_cnt):
            vna_hash, vna_flags, vna_other, vna_name, vna_next = struct.unpack_from("<IHHII", data, aux)
            if name(vna_name) == "GLIBCXX_3.4.32":
                struct.pack_into("<H", data, aux + 4, vna_flags | 0x2)
                patched += 1
            aux += vna_next
        if vn_next == 0:
            break
        at += vn_next
open(path, "wb").write(data)
print(f"{path}: {patched} version need(s) marked weak")
