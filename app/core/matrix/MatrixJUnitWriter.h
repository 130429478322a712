#pragma once

#include <QByteArray>

struct MatrixReport;

// A matrix report as JUnit XML, the form GitHub Actions (test-reporter actions), GitLab (test
// reports) and Jenkins (junit step) read: <testsuites> of one <testsuite> per folder of the plan,
// a <testcase> per cell named "request — column". Over-permissive, unexpected-denial and
// cannot-test cells are <failure>s whose message is the verdict and detail and whose text is the
// exchange that proves it (redacted in the report already); an error is an <error>, a skipped
// cell <skipped>. Cells the report should hold and does not (a shard not merged) are one more
// <error>, so a CI job that lost a shard does not pass.
class MatrixJUnitWriter
{
public:
    static QByteArray write(const MatrixReport &report);
};
