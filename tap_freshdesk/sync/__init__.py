"""One sync's shared machinery: Singer output, STATE cadence, BATCH files, progress, oddities.

Built once per sync (`sync.shared.Shared`) and handed to every stream, so no stream imports
the tap and every stream writes its messages the same way.
"""
