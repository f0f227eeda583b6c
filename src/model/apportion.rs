//! Apportioning an order's amounts to its details (SPEC §4.6), exactly, in
//! whatever order the details arrive.
//!
//! Each detail's share is the difference of two rounded cumulative
//! allocations: with `before` = the lines (`sku_price × sku_num`) of the
//! order's details already apportioned and `line` this detail's,
//!
//! ```text
//! share = round(amount × (before + line) / original) − round(amount × before / original)
//! ```
//!
//! rounded half-up to cents. The shares telescope: once every detail is in,
//! they add up to `round(amount × original / original)` = the amount, to the
//! cent; each share is within one cent of its exact proportion (two roundings
//! of at most half a cent each); none is negative (the cumulative allocation
//! only grows). Only the running line sum is state: a detail replayed after a
//! crash must get the `before` it got the first time (the caller keeps it per
//! detail), so nothing is applied twice.

use rust_decimal::{Decimal, RoundingStrategy};

/// The order-level amounts to apportion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderAmounts {
    /// Σ sku_price × sku_num over the order's details.
    pub original_total: Decimal,
    pub total: Decimal,
    pub activity_reduce: Decimal,
    pub coupon_reduce: Decimal,
}

/// One detail's shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub total: Decimal,
    pub activity: Decimal,
    pub coupon: Decimal,
}

fn cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// `amount`'s allocation to the first `upto` of `original`.
fn cumulative(amount: Decimal, upto: Decimal, original: Decimal) -> Decimal {
    if original.is_zero() {
        return Decimal::ZERO;
    }
    if upto >= original {
        return amount;
    }
    cents(amount * upto / original)
}

/// The shares of the detail whose line is `line`, the order's details
/// already apportioned having lines summing to `before`.
pub fn split(order: &OrderAmounts, before: Decimal, line: Decimal) -> Split {
    let share = |amount: Decimal| {
        cumulative(amount, before + line, order.original_total)
            - cumulative(amount, before, order.original_total)
    };
    Split {
        total: share(order.total),
        activity: share(order.activity_reduce),
        coupon: share(order.coupon_reduce),
    }
}

/// `sku_price × sku_num`.
pub fn line(price: Decimal, num: Decimal) -> Decimal {
    price * num
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(cents: i64) -> Decimal {
        Decimal::new(cents, 2)
    }

    #[test]
    fn three_equal_lines_share_a_cent_exactly() {
        let order = OrderAmounts {
            original_total: d(300),
            total: d(200),
            activity_reduce: d(100),
            coupon_reduce: d(0),
        };
        let mut before = Decimal::ZERO;
        let mut shares = Vec::new();
        for _ in 0..3 {
            shares.push(split(&order, before, d(100)));
            before += d(100);
        }
        let totals: Vec<Decimal> = shares.iter().map(|s| s.total).collect();
        assert_eq!(totals, [d(67), d(66), d(67)], "0.67 + 0.66 + 0.67 = 2.00");
        assert_eq!(shares.iter().map(|s| s.activity).sum::<Decimal>(), d(100));
    }

    /// An order: (price cents, quantity) per detail, the reductions, and an
    /// arrival order of its details.
    fn order() -> impl Strategy<Value = (Vec<(i64, i64)>, u8, u8, Vec<usize>)> {
        prop::collection::vec((1i64..1_000_000, 1i64..20), 1..=10).prop_flat_map(|lines| {
            let n = lines.len();
            (
                Just(lines),
                0u8..=100,
                0u8..=100,
                Just((0..n).collect::<Vec<usize>>()).prop_shuffle(),
            )
        })
    }

    proptest! {
        #[test]
        fn shares_add_up_stay_within_a_cent_and_are_never_negative(
            (lines, activity_pct, coupon_pct, arrival) in order()
        ) {
            let original: i64 = lines.iter().map(|(p, q)| p * q).sum();
            // Reductions as shares of the original, together at most all of it.
            let activity = original * i64::from(activity_pct) / 200;
            let coupon = (original - activity) * i64::from(coupon_pct) / 200;
            let order = OrderAmounts {
                original_total: d(original),
                total: d(original - activity - coupon),
                activity_reduce: d(activity),
                coupon_reduce: d(coupon),
            };
            let mut before = Decimal::ZERO;
            let mut sums = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
            for &i in &arrival {
                let (price, num) = lines[i];
                let l = line(d(price), Decimal::from(num));
                let s = split(&order, before, l);
                before += l;
                for (share, amount) in [(s.total, order.total), (s.activity, order.activity_reduce), (s.coupon, order.coupon_reduce)] {
                    prop_assert!(share >= Decimal::ZERO, "negative share {share}");
                    let exact = amount * l / order.original_total;
                    prop_assert!((share - exact).abs() <= d(1), "share {share} vs exact {exact}");
                }
                sums.0 += s.total;
                sums.1 += s.activity;
                sums.2 += s.coupon;
            }
            prop_assert_eq!(sums, (order.total, order.activity_reduce, order.coupon_reduce));
        }
    }
}
