import { describe, expect, it } from 'vitest';
import { ddimStep, ddimTables, ddimTimesteps, MAGICANIMATE_DDIM } from '../../src/main/engine/sampler/ddim';
import { readFixtureJson, readFixtureTensors, tensorOf, worstDiff } from './fixtureTensors';

interface Case6 {
  scheduler_config_effective: { beta_schedule: string; timestep_spacing: string; steps_offset: number };
  timesteps: Record<string, number[]>;
  step_examples: { tag: string; num_inference_steps: number; index: number; t: number; prev_t: number; alpha_prod_t: number; alpha_prod_t_prev: number }[];
}

const json = readFixtureJson<Case6>('case6_ddim.json');
const tensors = readFixtureTensors('case6_ddim.safetensors');

describe('DDIM tables', () => {
  it('uses the fixture configuration', () => {
    expect(json.scheduler_config_effective.beta_schedule).toBe('linear');
    expect(json.scheduler_config_effective.timestep_spacing).toBe('leading');
    expect(json.scheduler_config_effective.steps_offset).toBe(MAGICANIMATE_DDIM.stepsOffset);
  });

  it('reproduces alphas_cumprod bit for bit', () => {
    const expected = tensorOf(tensors, 'alphas_cumprod').data;
    const actual = ddimTables(25).alphasCumprod;
    const mismatches = [...actual].filter((v, i) => v !== expected[i]).length;
    expect(mismatches, `worst ${JSON.stringify(worstDiff(actual, expected))}`).toBe(0);
    expect(ddimTables(25).finalAlphaCumprod).toBe(tensorOf(tensors, 'final_alpha_cumprod').data[0]);
  });

  it.each(Object.keys(json.timesteps))('gives the timesteps for %s steps exactly', (steps) => {
    expect(ddimTimesteps(MAGICANIMATE_DDIM, Number(steps))).toEqual(json.timesteps[steps]);
    expect(ddimTables(Number(steps)).timesteps).toEqual(json.timesteps[steps]);
  });

  it('rejects a step count outside 1..1000', () => {
    expect(() => ddimTables(0)).toThrow(/1\.\.1000 steps/);
    expect(() => ddimTables(1001)).toThrow(/1\.\.1000 steps/);
  });
});

describe('ddimStep', () => {
  it.each(json.step_examples.map((e) => [e.tag, e] as const))('matches diffusers on %s', (tag, example) => {
    const tables = ddimTables(example.num_inference_steps);
    expect(tables.timesteps[example.index]).toBe(example.t);
    expect(tables.alphasCumprod[example.t]).toBe(Math.fround(example.alpha_prod_t));
    const sample = tensorOf(tensors, `${tag}_sample`).data;
    const eps = tensorOf(tensors, `${tag}_eps`).data;
    const { prev, x0 } = ddimStep(tables, eps, example.t, sample);
    const prevDiff = worstDiff(prev, tensorOf(tensors, `${tag}_prev_sample`).data);
    const x0Diff = worstDiff(x0, tensorOf(tensors, `${tag}_pred_original_sample`).data);
    console.log(`DDIM ${tag}: prev worst rel ${prevDiff.rel.toExponential(2)}, x0 worst rel ${x0Diff.rel.toExponential(2)}`);
    expect(prevDiff.rel, JSON.stringify(prevDiff)).toBeLessThan(1e-6);
    expect(x0Diff.rel, JSON.stringify(x0Diff)).toBeLessThan(1e-6);
  });

  it('is pure: the same inputs give the same outputs and are not modified', () => {
    const tables = ddimTables(4);
    const x = new Float32Array([1, -2, 3]);
    const eps = new Float32Array([0.5, 0.25, -1]);
    const a = ddimStep(tables, eps, 751, x);
    const b = ddimStep(tables, eps, 751, x);
    expect([...a.prev]).toEqual([...b.prev]);
    expect([...x]).toEqual([1, -2, 3]);
  });
});
