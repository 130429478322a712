#include "contract/ImportPlan.h"

QList<ImportPlan::Input> ImportPlan::inputsFor(const Environment &environment) const
{
    QList<Input> found;
    for (const Input &input : inputs) {
        if (input.environmentKey == environment.origin.key)
            found.append(input);
    }
    return found;
}
