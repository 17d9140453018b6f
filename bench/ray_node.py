"""Start one more Ray node on this machine, on loopback, joining the head at GCS_ADDRESS.

    python bench/ray_node.py 127.0.0.1:6390 --num-cpus 1 --temp-dir /tmp/aspa-ray-x

Why not `ray start --address=...`: Ray 2.x decides with one switch,
RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER, both whether a node may join a cluster and whether
127.0.0.1 is replaced by the machine's network address. With the switch on (the default on
Linux) `ray start --node-ip-address=127.0.0.1` still reports "Local node IP: <network
address>" and the nodes talk over that interface; with it off, `ray start --address` stops
with "Multi-node Ray clusters are not supported on Windows and OSX". This script does what
`ray start --address` does after that check (ray._private.node.Node with head=False) with
the switch off, so the node registers as 127.0.0.1 and listens on loopback only.
"""

from __future__ import annotations

import argparse
import os

os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"  # read when ray is first imported

import ray._private.node  # noqa: E402
from ray._private.parameter import RayParams  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gcs_address")
    parser.add_argument("--num-cpus", type=int, default=1)
    parser.add_argument("--temp-dir", required=True)
    args = parser.parse_args()
    params = RayParams(node_ip_address="127.0.0.1", gcs_address=args.gcs_address, num_cpus=args.num_cpus,
                       temp_dir=args.temp_dir, resources={"second_node": 1.0})
    # Like `ray start`: the node's processes outlive this script; the benchmark stops them.
    ray._private.node.Node(params, head=False, shutdown_at_exit=False, spawn_reaper=False)
    print(f"worker node joined {args.gcs_address} on 127.0.0.1 with {args.num_cpus} CPU(s)")


if __name__ == "__main__":
    main()
