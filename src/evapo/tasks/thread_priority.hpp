#pragma once

namespace evapo::tasks {

/// Gives the calling thread only the CPU time no other thread wants (SCHED_IDLE; nice 10 where
/// that policy is refused). For batch work (calculations, WAL checkpoints) so that network
/// threads answering a POST or delivering an event never wait behind it for a time slice. Linux
/// keeps the policy per thread: only the caller is lowered.
void lower_this_thread_priority();

}  // namespace evapo::tasks
