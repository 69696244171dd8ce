//! Work spread over the cores: one scoped thread per part, the answers in the parts'
//! order, whatever order the threads finish in.

/// `work` applied to each of `parts` on a thread of its own; the answers in the order of
/// `parts`. A panic on a thread is resumed on the caller's.
pub fn map_parts<P: Sync, R: Send>(parts: &[P], work: impl Fn(&P) -> R + Sync) -> Vec<R> {
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .iter()
            .map(|part| scope.spawn(move || work(part)))
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// How many threads to spread `items` over: one per core, never more than the items.
pub fn threads_for(items: usize) -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_come_in_the_order_of_the_parts() {
        let parts: Vec<u64> = (0..8).collect();
        let answers = map_parts(&parts, |part| {
            // The first parts finish last.
            std::thread::sleep(std::time::Duration::from_millis(8 - part));
            part * 10
        });
        assert_eq!(answers, [0, 10, 20, 30, 40, 50, 60, 70]);
        assert!(map_parts(&[] as &[u8], |_| 0).is_empty());
    }

    #[test]
    fn a_thread_is_never_more_than_the_items() {
        assert_eq!(threads_for(0), 1);
        assert_eq!(threads_for(1), 1);
        assert!(threads_for(1000) >= 1);
    }
}
