/**
 * The reflexive stablecoin (LUNA/UST, May 2022): redeemable for $1 of the governance token (the
 * simulated asset), which is minted on redemption. Confidence falls with the peg's discount and
 * the token's fall; holders sell the stablecoin; arbitrageurs redeem discounted coins and sell
 * the newly minted token on the venue, which pushes the token down: a death spiral. The twin of
 * assembly/stablecoin.ts.
 */
import { MODEL, type EngineParams } from '../constants.ts';

export class Stablecoin {
  supply = 0;
  peg = 1;
  tokens = 0;
  private imbalance = 0;
  private confidence = 1;
  private readonly p: EngineParams;

  constructor(p: EngineParams) {
    this.p = p;
  }

  /** Start at full confidence and a $1 peg. */
  initStablecoin(): void {
    this.supply = this.p.stableSupply;
    this.peg = 1;
    this.tokens = MODEL.TOKEN_SUPPLY0;
    this.imbalance = 0;
    this.confidence = 1;
  }

  /** One tick of the peg; returns USD redeemed (and minted as the token, to be sold). Every tick. */
  redeemStablecoin(S: number, oracle: number, halted: boolean): number {
    const p = this.p;
    if (p.stableSupply <= 0) return 0;
    const target = Math.min(
      1,
      Math.max(0, 1 - MODEL.CONF_PEG * (1 - this.peg) - MODEL.CONF_PRICE * Math.max(0, 1 - S / p.price0)),
    );
    this.confidence += MODEL.CONF_SPEED * (target - this.confidence);
    // Lost to dust, confidence is gone (decaying to a zero target it would turn subnormal).
    if (this.confidence < MODEL.POSITION_DUST) this.confidence = 0;
    this.imbalance = this.imbalance * (1 - MODEL.PEG_REFILL) + p.panicRate * (1 - this.confidence) * this.supply;
    const redeemed = halted ? 0 : Math.min(p.redeemCap, this.imbalance, this.supply);
    this.imbalance -= redeemed;
    this.supply -= redeemed;
    this.tokens += redeemed / oracle;
    this.peg = 1 / (1 + this.imbalance / p.pegDepth);
    return redeemed;
  }
}
