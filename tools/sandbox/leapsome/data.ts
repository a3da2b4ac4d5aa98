import { GoalData } from './goals.js';
import { HrData } from './hr.js';
import { ReviewData } from './reviews.js';
import { LeapsomeWorld } from './world.js';

/** All generated Leapsome data of one sandbox. */
export class LeapsomeData {
  readonly world: LeapsomeWorld;
  readonly goals: GoalData;
  readonly reviews: ReviewData;
  readonly hr: HrData;

  constructor(seed: number, scale: number) {
    this.world = new LeapsomeWorld(seed, scale);
    this.goals = new GoalData(this.world);
    this.reviews = new ReviewData(this.world);
    this.hr = new HrData(this.world);
  }
}
