package io.gatehouse.balance;

/**
 * MurmurHash64A (Austin Appleby, MurmurHash2, public domain) over the UTF-16LE bytes of a string,
 * read straight from its chars: no encoding, no allocation. Stable across JVMs and releases (it
 * depends only on the chars), fast on short keys, and well mixed in all 64 bits, which is what ring
 * positions need. Not for anything security-related.
 */
final class Hashing {

    private static final long M = 0xc6a4a7935bd1e995L;
    private static final int R = 47;
    static final long SEED = 0x9747b28cL;

    private Hashing() {
    }

    static long murmur64(CharSequence s) {
        int len = s.length();
        long h = SEED ^ ((long) len * 2 * M);
        int i = 0;
        for (; i + 4 <= len; i += 4) {
            long k = s.charAt(i) | (long) s.charAt(i + 1) << 16 | (long) s.charAt(i + 2) << 32
                    | (long) s.charAt(i + 3) << 48;
            k *= M;
            k ^= k >>> R;
            k *= M;
            h ^= k;
            h *= M;
        }
        if (i < len) {
            long tail = 0;
            for (int shift = 0; i < len; i++, shift += 16) {
                tail |= (long) s.charAt(i) << shift;
            }
            h ^= tail;
            h *= M;
        }
        h ^= h >>> R;
        h *= M;
        h ^= h >>> R;
        return h;
    }
}
