// Sessions and Users require each other: a cycle the Problems panel must report.
import { LocalTarget, Task } from 'plumb-pipelines';

export class Sessions extends Task.with({}) {
  requires() {
    return new Users();
  }
  output() {
    return new LocalTarget('data/sessions.tsv');
  }
  async run() {
    await this.output().writeText('session\n');
  }
}

export class Users extends Task.with({}) {
  requires() {
    return new Sessions();
  }
  output() {
    return new LocalTarget('data/users.tsv');
  }
  async run() {
    await this.output().writeText('user\n');
  }
}
