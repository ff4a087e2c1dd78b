// The reflexive stablecoin (LUNA/UST, May 2022): redeemable for $1 of the governance token (the
// simulated asset), which is minted on redemption. Confidence falls with the peg's discount and
// the token's fall; holders sell the stablecoin; arbitrageurs redeem discounted coins and sell
// the newly minted token on the venue, which pushes the token down: a death spiral.
import { P, CONF_PEG, CONF_PRICE, CONF_SPEED, PEG_REFILL, POSITION_DUST, TOKEN_SUPPLY0 } from './layout';
import { param } from './params';

export let supply: f64 = 0;
export let peg: f64 = 1;
export let tokens: f64 = 0;
let imbalance: f64 = 0;
let confidence: f64 = 1;

/** Start at full confidence and a $1 peg. Called by `init`. */
export function initStablecoin(): void {
  supply = param(P.stableSupply);
  peg = 1;
  tokens = TOKEN_SUPPLY0;
  imbalance = 0;
  confidence = 1;
}

/** One tick of the peg; returns USD redeemed (and minted as the token, to be sold). Called every tick. */
export function redeemStablecoin(S: f64, oracle: f64, halted: bool): f64 {
  if (param(P.stableSupply) <= 0) return 0;
  const target = Math.min(1.0, Math.max(0.0, 1.0 - CONF_PEG * (1.0 - peg) - CONF_PRICE * Math.max(0.0, 1.0 - S / param(P.price0))));
  confidence += CONF_SPEED * (target - confidence);
  // Lost to dust, confidence is gone (decaying to a zero target it would turn subnormal).
  if (confidence < POSITION_DUST) confidence = 0;
  imbalance = imbalance * (1.0 - PEG_REFILL) + param(P.panicRate) * (1.0 - confidence) * supply;
  const redeemed = halted ? 0.0 : Math.min(param(P.redeemCap), Math.min(imbalance, supply));
  imbalance -= redeemed;
  supply -= redeemed;
  tokens += redeemed / oracle;
  peg = 1.0 / (1.0 + imbalance / param(P.pegDepth));
  return redeemed;
}
