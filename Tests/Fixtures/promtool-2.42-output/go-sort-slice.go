package main

import (
	"fmt"
	"sort"
)

type el struct{ idx, val int }

func main() {
	for _, n := range []int{0, 1, 12, 13, 22, 49, 50, 51, 100, 206, 257, 1000, 4096} {
		for _, k := range []int{1, 2, 3, 10, 1000000} {
			for _, pattern := range []string{"random", "ascending", "descending", "sawtooth"} {
				s := uint64(n*1000003 + k)
				xs := make([]el, n)
				for i := range xs {
					v := 0
					switch pattern {
					case "random":
						s = s*6364136223846793005 + 1442695040888963407
						v = int((s >> 33) % uint64(k))
					case "ascending":
						v = i * k / n
					case "descending":
						v = (n - 1 - i) * k / n
					case "sawtooth":
						v = i % k
					}
					xs[i] = el{i, v}
				}
				sort.Slice(xs, func(i, j int) bool { return xs[i].val > xs[j].val })
				var h uint64 = 14695981039346656037
				for _, x := range xs {
					h = (h ^ uint64(x.idx)) * 1099511628211
				}
				fmt.Printf("%d %d %s %016x\n", n, k, pattern, h)
			}
		}
	}
}
