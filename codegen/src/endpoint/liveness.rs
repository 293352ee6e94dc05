//! Liveness, computed once over the checked rules: which bindings the emitted code reads,
//! and so which conditions bind a name (`if let Some(x) = ..`, `let x = ..;`) rather than
//! test it (`.is_some()`) or drop it. A binding is read when code that is emitted reads
//! it: not in a rule after one that is always entered, not where a reference folded away.

use std::collections::BTreeSet;

use super::typecheck::{CheckedBody, CheckedCondition, CheckedRule};

/// Identifies a binding: a parameter, a narrowed parameter or an `assign`ed variable.
pub type BindingId = usize;

/// The bindings some code reads.
pub type Uses = BTreeSet<BindingId>;

pub struct Liveness {
    /// The bindings the emitted code reads from outside the rules: the parameters.
    pub reads: Uses,
    /// The conditions (by the binding they introduce) that bind.
    pub bound: BTreeSet<BindingId>,
}

pub fn liveness(rules: &[CheckedRule]) -> Liveness {
    let mut bound = BTreeSet::new();
    let reads = sequence(rules, &mut bound);
    Liveness { reads, bound }
}

/// A sequence of rules ends after the first rule that is always entered.
fn sequence(rules: &[CheckedRule], bound: &mut BTreeSet<BindingId>) -> Uses {
    let mut live = Uses::new();
    for rule in rules {
        live.extend(self::rule(rule, bound));
        if rule.always() {
            break;
        }
    }
    live
}

/// Backwards through the conditions: what the rest reads decides whether a condition binds.
fn rule(rule: &CheckedRule, bound: &mut BTreeSet<BindingId>) -> Uses {
    let mut live = match &rule.body {
        CheckedBody::Value { uses, .. } => uses.clone(),
        CheckedBody::Tree(rules) => sequence(rules, bound),
    };
    for c in rule.conditions.iter().rev() {
        match c {
            CheckedCondition::Test { uses, .. } => live.extend(uses.iter().copied()),
            // Bound or tested, the value is read.
            CheckedCondition::Unwrap { id, uses, .. } => {
                if live.remove(id) {
                    bound.insert(*id);
                }
                live.extend(uses.iter().copied());
            }
            CheckedCondition::Let {
                id,
                test,
                uses,
                referenced,
                ..
            } => {
                // A named boolean that the rest refers to stays a named local.
                if *referenced && (test.is_some() || live.contains(id)) {
                    live.remove(id);
                    bound.insert(*id);
                    live.extend(uses.iter().copied());
                } else if test.is_some() {
                    live.extend(uses.iter().copied());
                }
            }
        }
    }
    live
}
