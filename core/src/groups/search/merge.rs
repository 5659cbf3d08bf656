//! A k-way merge of id-ordered streams of search cards: the groups of several topics (a
//! query's topic, its synonyms' and its narrower topics') in one id order, each group once.

use super::super::card::GroupCard;
use crate::error::Result;

/// The streams' cards in id order, a group filed under several of the topics once. Holds the
/// next card of each stream; a query has a handful of topics, so the least is found by a look
/// at each.
pub(super) struct InIdOrder<I> {
    heads: Vec<(GroupCard, I)>,
}

impl<I: Iterator<Item = Result<GroupCard>>> InIdOrder<I> {
    /// Reads the first card of each stream.
    pub(super) fn new(streams: impl IntoIterator<Item = I>) -> Result<Self> {
        let mut heads = Vec::new();
        for mut stream in streams {
            if let Some(card) = stream.next() {
                heads.push((card?, stream));
            }
        }
        Ok(InIdOrder { heads })
    }

    /// The card with the least id not yet taken, moving every stream that holds it on.
    pub(super) fn next_card(&mut self) -> Result<Option<GroupCard>> {
        let Some(least) = self.heads.iter().map(|(card, _)| card.id).min() else { return Ok(None) };
        let mut taken = None;
        let mut i = 0;
        while i < self.heads.len() {
            if self.heads[i].0.id != least {
                i += 1;
                continue;
            }
            match self.heads[i].1.next() {
                Some(card) => {
                    taken = Some(std::mem::replace(&mut self.heads[i].0, card?));
                    i += 1;
                }
                // The stream is done: the last stream takes its place, and is looked at next.
                None => taken = Some(self.heads.swap_remove(i).0),
            }
        }
        Ok(taken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::groups::{GroupAudience, GroupFormat, GroupId, GroupStatus};

    fn card(id: u64) -> GroupCard {
        GroupCard {
            id: GroupId(id),
            status: GroupStatus::Active,
            format: GroupFormat::Online,
            audience: GroupAudience::Both,
            languages: vec![],
            accessibility: vec![],
            topics: vec![],
            times: vec![],
            place: None,
        }
    }

    fn merged(streams: &[&[u64]]) -> Vec<u64> {
        let streams = streams.iter().map(|ids| ids.iter().map(|id| Ok(card(*id))).collect::<Vec<_>>().into_iter());
        let mut merge = InIdOrder::new(streams).unwrap();
        let mut out = Vec::new();
        while let Some(card) = merge.next_card().unwrap() {
            out.push(card.id.0);
        }
        out
    }

    #[test]
    fn streams_merge_into_one_id_order_with_each_group_once() {
        assert_eq!(merged(&[&[1, 4, 9], &[2, 4, 5, 12], &[], &[4, 9, 10]]), [1, 2, 4, 5, 9, 10, 12]);
        assert_eq!(merged(&[&[3], &[3], &[3]]), [3], "a group under every topic comes once");
        assert_eq!(merged(&[]), Vec::<u64>::new());
    }

    #[test]
    fn a_damaged_card_is_an_error_not_the_end_of_the_stream() {
        let damaged = vec![Ok(card(1)), Err(crate::error::Error::storage("damaged")), Ok(card(5))];
        let mut merge = InIdOrder::new([damaged.into_iter()]).unwrap();
        assert!(merge.next_card().is_err(), "moving past card 1 meets the damage, and the search hears of it");
    }
}
