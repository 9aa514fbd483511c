//! An averaged perceptron over hashed features: [`Weights`] scores labels at run time,
//! [`Trainer`] learns them.
//!
//! A feature hash picks one row of a table of `2^bits` rows; a row holds one weight per
//! label, side by side, so a feature costs one cache line. Rows are shared by colliding
//! features, which costs a little accuracy and bounds the model's size whatever the
//! training data. Run-time weights are the averages as `f32`: a few weights (the bias,
//! the commonest words) grow thousands of times larger than most, so 16-bit integers
//! would round most of the name model's weights to zero.

/// The weights of one tagger.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    pub bits: u32,
    pub labels: usize,
    pub table: Vec<f32>,
}

impl Weights {
    fn row(&self, feature: u64) -> usize {
        (feature >> (64 - self.bits)) as usize * self.labels
    }

    /// Scores of every label for a token with these features.
    pub fn scores(&self, features: &[u64], out: &mut [f32]) {
        out.fill(0.0);
        for &feature in features {
            let row = self.row(feature);
            for (score, &weight) in out.iter_mut().zip(&self.table[row..row + self.labels]) {
                *score += weight;
            }
        }
    }

    /// [`Weights::scores`] for a table of exactly `N` labels: a fixed-size row lets the
    /// compiler add it in vector registers, which makes the tagger several times faster.
    pub fn scores_of<const N: usize>(&self, features: &[u64]) -> [f32; N] {
        debug_assert_eq!(self.labels, N);
        let mut out = [0.0f32; N];
        for &feature in features {
            let row = self.row(feature);
            let Some(weights) = self.table.get(row..row + N) else {
                continue;
            };
            let weights: &[f32; N] = weights.try_into().expect("a row of N weights");
            for i in 0..N {
                out[i] += weights[i];
            }
        }
        out
    }
}

/// The best label among `allowed` (all when `None`); ties go to the lower label.
pub fn best(scores: &[f32], allowed: impl Fn(usize) -> bool) -> usize {
    let mut best = None;
    for (label, &score) in scores.iter().enumerate() {
        if allowed(label) && best.is_none_or(|(_, s)| score > s) {
            best = Some((label, score));
        }
    }
    best.map_or(0, |(label, _)| label)
}

/// Learns [`Weights`]: the perceptron's update with averaging done lazily, by the step at
/// which each weight last changed.
pub struct Trainer {
    /// The current (not averaged) weights.
    current: Weights,
    totals: Vec<f64>,
    stamps: Vec<u32>,
    step: u32,
}

impl Trainer {
    pub fn new(bits: u32, labels: usize) -> Trainer {
        let size = (1usize << bits) * labels;
        Trainer {
            current: Weights {
                bits,
                labels,
                table: vec![0.0; size],
            },
            totals: vec![0.0; size],
            stamps: vec![0; size],
            step: 0,
        }
    }

    /// Scores with the current (not averaged) weights.
    pub fn scores(&self, features: &[u64], out: &mut [f32]) {
        self.current.scores(features, out);
    }

    /// One training step: the token with `features` is `truth` and was guessed `guess`.
    pub fn update(&mut self, features: &[u64], truth: usize, guess: usize) {
        self.step += 1;
        if truth == guess {
            return;
        }
        for &feature in features {
            let row = self.current.row(feature);
            for (label, change) in [(truth, 1.0), (guess, -1.0)] {
                let at = row + label;
                let weight = &mut self.current.table[at];
                self.totals[at] += f64::from(self.step - self.stamps[at]) * f64::from(*weight);
                self.stamps[at] = self.step;
                *weight += change;
            }
        }
    }

    /// The averaged weights.
    pub fn finish(self) -> Weights {
        let step = f64::from(self.step.max(1));
        let table = (self.current.table.iter().enumerate())
            .map(|(at, &weight)| {
                let total =
                    self.totals[at] + f64::from(self.step - self.stamps[at]) * f64::from(weight);
                (total / step) as f32
            })
            .collect();
        Weights {
            table,
            ..self.current
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_rule() {
        // Label 1 when feature 7 fires, else label 0; feature 1 is a bias.
        let mut trainer = Trainer::new(4, 2);
        let examples = [
            (vec![1u64 << 60, 7u64 << 60], 1),
            (vec![1u64 << 60, 3u64 << 60], 0),
        ];
        let mut scores = [0.0; 2];
        for _ in 0..10 {
            for (features, truth) in &examples {
                trainer.scores(features, &mut scores);
                let guess = usize::from(scores[1] > scores[0]);
                trainer.update(features, *truth, guess);
            }
        }
        let weights = trainer.finish();
        let mut scores = [0.0; 2];
        for (features, truth) in &examples {
            weights.scores(features, &mut scores);
            assert_eq!(best(&scores, |_| true), *truth);
        }
    }

    #[test]
    fn best_respects_the_allowed_labels() {
        assert_eq!(best(&[5.0, 9.0, 1.0], |_| true), 1);
        assert_eq!(best(&[5.0, 9.0, 1.0], |l| l != 1), 0);
    }
}
